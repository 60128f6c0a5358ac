"""What the caller decides for a conversion run: read-only, the same for every file."""
import dataclasses
import enum

# The rename tables are pinned to TF 2.15 and the output uses tf.estimator, which
# TF 2.16 removed: every target here runs the same converted code.
SUPPORTED_TARGETS = ("2.12", "2.13", "2.14", "2.15")


class ScriptKind(enum.Enum):
    AUTO = "auto"            # a training script if it defines train_input_fn and a builder
    TRAINING = "training"    # must be a Legacy Mode training script (ERROR if it is not)
    MODULE = "module"        # a helper module: never gets an entry point


@dataclasses.dataclass(frozen=True)
class Settings:
    target_tf: str = "2.15"
    script_kind: ScriptKind = ScriptKind.AUTO

    def __post_init__(self):
        if self.target_tf not in SUPPORTED_TARGETS:
            raise ValueError(
                "target TensorFlow %r is not supported; expected one of %s. TF 2.16 and later "
                "have no tf.estimator: run the legacy script with `legacy-compat train` there."
                % (self.target_tf, ", ".join(SUPPORTED_TARGETS)))
        if not isinstance(self.script_kind, ScriptKind):
            raise ValueError("script_kind must be a ScriptKind, not %r" % (self.script_kind,))


DEFAULT = Settings()
