"""What the caller decides for a conversion run: read-only, the same for every file."""
import dataclasses
import enum

from legacy_compat import tfversion

# The rename tables are pinned to TF 2.15. TF 2.16 removed tf.estimator: for a target from
# there on, the entry point imports legacy_compat.estimator (the tf-modern extra), which
# puts the 2.15 estimator back and makes tf.keras the Keras 2 of tf_keras, so the same
# converted code runs on every target.
SUPPORTED_TARGETS = ("2.12", "2.13", "2.14", "2.15", "2.16", "2.17", "2.18", "2.19", "2.20",
                     "2.21")
NEWEST_TARGET = SUPPORTED_TARGETS[-1]
# --target keras: Keras 3 scripts instead (legacy_compat/convert/keras, imported only then).
KERAS_TARGET = "keras"


class ScriptKind(enum.Enum):
    AUTO = "auto"            # a training script if it defines train_input_fn and a builder
    TRAINING = "training"    # must be a Legacy Mode training script (ERROR if it is not)
    MODULE = "module"        # a helper module: never gets an entry point


@dataclasses.dataclass(frozen=True)
class Settings:
    target_tf: str = NEWEST_TARGET
    script_kind: ScriptKind = ScriptKind.AUTO
    # False: the carried code goes into a support module beside the script (helpers.py).
    single_file: bool = False

    def __post_init__(self):
        if self.target_tf not in SUPPORTED_TARGETS:
            raise ValueError(
                "target TensorFlow %r is not supported; expected one of %s"
                % (self.target_tf, ", ".join(SUPPORTED_TARGETS)))
        if not isinstance(self.script_kind, ScriptKind):
            raise ValueError("script_kind must be a ScriptKind, not %r" % (self.script_kind,))

    @property
    def needs_revived_estimator(self):
        """True for TF 2.16+, where tf.estimator only exists through legacy_compat.estimator."""
        return tfversion.lacks_estimator(tfversion.parse(self.target_tf))


DEFAULT = Settings()
