"""Provider account credentials at rest: AES-256-GCM under one key, kept in the settings or in a file of its own.

The key comes from ASSETGRAPH_CREDENTIALS_KEY when set; otherwise from `<data_dir>/credentials.key`, generated on
first start (mode 0600, created atomically, never overwritten). A key file others may read, or that holds no key,
stops the server from starting: losing or replacing the key makes every stored credential unreadable, so it is
never repaired silently.

Each ciphertext is bound to its owner and provider (GCM's associated data): a ciphertext copied onto another
user's row does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import stat
import uuid
from collections.abc import Mapping
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from assetgraph.config import Settings

KEY_FILE_NAME = "credentials.key"
_KEY_BYTES = 32
_NONCE_BYTES = 12
_FORMAT = b"\x01"  # first byte of every ciphertext: the layout below, should it ever change
_GENERATE_HINT = "python -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())'"


class CredentialsKeyError(RuntimeError):
    """The configured key, or the key file, cannot be used; the server must not start."""


class CredentialsUnreadableError(RuntimeError):
    """Stored credentials do not decrypt with this key (another key wrote them, or the row was tampered with)."""


def new_key() -> str:
    """A fresh key, as ASSETGRAPH_CREDENTIALS_KEY and the key file hold it."""
    return base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=_KEY_BYTES * 8)).decode("ascii")


def _decoded(text: str) -> bytes | None:
    try:
        key = base64.b64decode(text.strip().encode("ascii"), altchars=b"-_", validate=True)
    except (binascii.Error, UnicodeError, ValueError):
        return None
    return key if len(key) == _KEY_BYTES else None


class CredentialCipher:
    """Encrypts a credentials object for one owner and provider, and decrypts it back."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def __repr__(self) -> str:
        return "CredentialCipher(key=<hidden>)"

    @staticmethod
    def _associated_data(user_id: int, provider_id: str) -> bytes:
        return f"assetgraph provider account\x00{user_id}\x00{provider_id}".encode()

    def encrypt(self, credentials: Mapping[str, str], *, user_id: int, provider_id: str) -> bytes:
        plaintext = json.dumps(dict(credentials), separators=(",", ":")).encode("utf-8", "surrogatepass")
        nonce = os.urandom(_NONCE_BYTES)
        return _FORMAT + nonce + self._aead.encrypt(nonce, plaintext, self._associated_data(user_id, provider_id))

    def decrypt(self, ciphertext: bytes, *, user_id: int, provider_id: str) -> dict[str, str]:
        if ciphertext[:1] != _FORMAT:
            raise CredentialsUnreadableError("stored credentials are not in a format this server writes")
        nonce, sealed = ciphertext[1 : 1 + _NONCE_BYTES], ciphertext[1 + _NONCE_BYTES :]
        try:
            plaintext = self._aead.decrypt(nonce, sealed, self._associated_data(user_id, provider_id))
        except InvalidTag:
            raise CredentialsUnreadableError(
                "stored credentials do not decrypt with the configured key (was the key replaced?)"
            ) from None
        credentials: dict[str, str] = json.loads(plaintext.decode("utf-8", "surrogatepass"))
        return credentials


def _read_key_file(path: Path) -> bytes:
    try:
        info = path.stat()
        text = path.read_text(encoding="ascii", errors="replace")
    except OSError as exc:
        raise CredentialsKeyError(f"The credentials key {path} cannot be read: {exc.strerror}.") from exc
    if not stat.S_ISREG(info.st_mode):
        raise CredentialsKeyError(f"The credentials key {path} is not a regular file.")
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o077:
        raise CredentialsKeyError(
            f"The credentials key {path} has mode {mode:04o}: others may read it. It must be readable by its "
            f"owner only; run: chmod 600 {path}"
        )
    key = _decoded(text)
    if key is None:
        raise CredentialsKeyError(
            f"The credentials key {path} holds no key (32 bytes in url-safe base64). Restore it from a backup: "
            "a new key cannot decrypt the provider account credentials stored under the old one. Delete it only "
            "if no account was ever added."
        )
    return key


def _create_key_file(path: Path) -> None:
    """Write a new key to `path` unless a key is there already; never a half-written or readable-by-others file."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    descriptor = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as out:
            out.write(new_key() + "\n")
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(staging, path)  # atomic, and refuses to replace: a process that got there first wins
        except FileExistsError:
            pass
    finally:
        staging.unlink(missing_ok=True)
    # The name must survive a crash as surely as the credentials PostgreSQL will store under this key.
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def key_file_key(data_dir: Path) -> bytes:
    """The key in `data_dir/credentials.key`, generated there first if there is none."""
    path = data_dir / KEY_FILE_NAME
    if not path.exists():
        try:
            _create_key_file(path)
        except OSError as exc:
            raise CredentialsKeyError(f"The credentials key {path} cannot be created: {exc.strerror}.") from exc
    return _read_key_file(path)


def credential_cipher(settings: Settings) -> CredentialCipher:
    """The cipher of the configured key; CredentialsKeyError when it cannot be used."""
    if settings.credentials_key is not None:
        key = _decoded(settings.credentials_key.get_secret_value())
        if key is None:
            raise CredentialsKeyError(
                f"ASSETGRAPH_CREDENTIALS_KEY is not a key: it must be 32 bytes in url-safe base64 (44 characters), "
                f"as printed by: {_GENERATE_HINT}"
            )
        return CredentialCipher(key)
    return CredentialCipher(key_file_key(settings.resolved_data_dir))
