"""Lineage vocabularies: how a parent asset fed a child (SPEC section 3)."""

from __future__ import annotations

from enum import StrEnum


class RelationType(StrEnum):
    SOURCE_IMAGE = "SOURCE_IMAGE"
    SOURCE_VIDEO = "SOURCE_VIDEO"
    TRANSITION_INPUT = "TRANSITION_INPUT"
    FUSION_CHARACTER = "FUSION_CHARACTER"
    FUSION_BACKGROUND = "FUSION_BACKGROUND"
    FUSION_REFERENCE = "FUSION_REFERENCE"
    KEYFRAME = "KEYFRAME"
    PAUSED_FRAME = "PAUSED_FRAME"
    REFERENCE_IMAGE = "REFERENCE_IMAGE"
    DERIVATION = "DERIVATION"


class OperationType(StrEnum):
    TEXT_TO_IMAGE = "text_to_image"
    IMAGE_TO_IMAGE = "image_to_image"
    TEXT_TO_VIDEO = "text_to_video"
    IMAGE_TO_VIDEO = "image_to_video"
    VIDEO_EXTEND = "video_extend"
    VIDEO_TRANSITION = "video_transition"
    FUSION = "fusion"
    FRAME_EXTRACTION = "frame_extraction"
    IMAGE_EDIT = "image_edit"
