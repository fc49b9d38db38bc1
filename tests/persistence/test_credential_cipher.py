"""The credentials key and cipher: a key file made once, safely, and refused when unsafe; ciphertext that only
decrypts for the owner and provider it was written for."""

from __future__ import annotations

import os
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pydantic import SecretStr

from assetgraph.config import Settings
from assetgraph.persistence.credential_cipher import (
    KEY_FILE_NAME,
    CredentialCipher,
    CredentialsKeyError,
    CredentialsUnreadableError,
    credential_cipher,
    key_file_key,
    new_key,
)

CREDENTIALS = {"jwt": "eyJhbGciOi.plaintext-token", "cookie": "sid=abc"}


def test_the_key_file_is_made_once_for_its_owner_only_and_then_read(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh" / "data"

    # when the first start finds no key, and a later one finds it
    first = key_file_key(data_dir)
    second = key_file_key(data_dir)

    # then the same key is read back from a file only its owner may read, and nothing else was left there
    assert first == second and len(first) == 32
    assert stat.S_IMODE((data_dir / KEY_FILE_NAME).stat().st_mode) == 0o600
    assert [p.name for p in data_dir.iterdir()] == [KEY_FILE_NAME]


def test_processes_starting_at_once_agree_on_one_key(tmp_path: Path) -> None:
    # when sixteen starts race to make the key
    with ThreadPoolExecutor(16) as pool:
        keys = set(pool.map(lambda _: key_file_key(tmp_path), range(16)))

    # then they all use the one that was written, and no staging file is left behind
    assert len(keys) == 1
    assert [p.name for p in tmp_path.iterdir()] == [KEY_FILE_NAME]


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_a_key_file_others_may_read_is_refused(tmp_path: Path, mode: int) -> None:
    path = tmp_path / KEY_FILE_NAME
    path.write_text(new_key() + "\n")
    path.chmod(mode)
    content = path.read_bytes()

    with pytest.raises(CredentialsKeyError) as refused:
        key_file_key(tmp_path)

    assert str(refused.value) == (
        f"The credentials key {path} has mode {mode:04o}: others may read it. It must be readable by its owner only; "
        f"run: chmod 600 {path}"
    )
    # and the file is left as it was: it holds the only key to what is stored
    assert (path.read_bytes(), stat.S_IMODE(path.stat().st_mode)) == (content, mode)


@pytest.mark.parametrize("content", ["", "not a key\n", new_key()[:-4] + "\n", "é" * 44])
def test_a_key_file_without_a_key_is_refused_and_kept(tmp_path: Path, content: str) -> None:
    path = tmp_path / KEY_FILE_NAME
    path.write_text(content)
    path.chmod(0o600)

    with pytest.raises(CredentialsKeyError, match=r"holds no key .* Restore it from a backup"):
        key_file_key(tmp_path)
    assert path.read_text() == content


def test_a_configured_key_is_used_and_no_file_is_made(tmp_path: Path) -> None:
    key = new_key()
    settings = Settings(data_dir=tmp_path, credentials_key=SecretStr(key))

    sealed = credential_cipher(settings).encrypt(CREDENTIALS, user_id=1, provider_id="sora")

    assert credential_cipher(settings).decrypt(sealed, user_id=1, provider_id="sora") == CREDENTIALS
    assert list(tmp_path.iterdir()) == []
    assert key not in repr(settings) and key not in repr(credential_cipher(settings))


def test_a_configured_key_that_is_not_a_key_is_refused(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, credentials_key=SecretStr("hunter2"))

    with pytest.raises(CredentialsKeyError, match="ASSETGRAPH_CREDENTIALS_KEY is not a key") as refused:
        credential_cipher(settings)
    assert "hunter2" not in str(refused.value)


def test_ciphertext_decrypts_only_for_its_owner_and_provider() -> None:
    cipher = CredentialCipher(os.urandom(32))
    sealed = cipher.encrypt(CREDENTIALS, user_id=7, provider_id="pixverse")

    # the plaintext is nowhere in it, and two encryptions differ
    assert b"plaintext-token" not in sealed
    assert sealed != cipher.encrypt(CREDENTIALS, user_id=7, provider_id="pixverse")
    assert cipher.decrypt(sealed, user_id=7, provider_id="pixverse") == CREDENTIALS
    # moved to another user's or another provider's account, tampered with, or read with another key: refused
    for user_id, provider_id in [(8, "pixverse"), (7, "sora")]:
        with pytest.raises(CredentialsUnreadableError):
            cipher.decrypt(sealed, user_id=user_id, provider_id=provider_id)
    with pytest.raises(CredentialsUnreadableError):
        cipher.decrypt(sealed[:-1] + bytes([sealed[-1] ^ 1]), user_id=7, provider_id="pixverse")
    with pytest.raises(CredentialsUnreadableError):
        CredentialCipher(os.urandom(32)).decrypt(sealed, user_id=7, provider_id="pixverse")
