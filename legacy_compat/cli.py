"""Command line: ``legacy-compat train``, ``tensorboard`` and ``convert``.

Only argparse is imported up front: ``legacy-compat --help`` must not pay for
TensorFlow.
"""

import argparse
import json
import os
import sys

from legacy_compat import __version__
from legacy_compat.logs import configure_logging


def _channel(value):
    name, sep, path = value.partition("=")
    if not sep:
        return ("training", value)
    if not name:
        raise argparse.ArgumentTypeError("channel %r has an empty name; use NAME=DIR" % value)
    return (name, path)


def _hyperparameters(value):
    from legacy_compat.hyperparameters import SAGEMAKER_FILE_PREFIX, SageMakerFile
    text = value
    sagemaker_file = value.startswith(SAGEMAKER_FILE_PREFIX)
    path = value[len(SAGEMAKER_FILE_PREFIX):] if sagemaker_file else value
    if sagemaker_file or not value.lstrip().startswith("{"):
        if not os.path.isfile(path):
            raise argparse.ArgumentTypeError(
                ("SageMaker hyperparameters file %r not found" % path) if sagemaker_file else
                ("%r is neither a JSON object nor an existing .json file" % value))
        with open(path) as handle:
            text = handle.read()
    try:
        parsed = json.loads(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError("hyperparameters %s: not valid JSON (%s)" % (value, error))
    if not isinstance(parsed, dict):
        raise argparse.ArgumentTypeError("hyperparameters must be a JSON object, got %r" % value)
    return SageMakerFile(parsed, os.path.abspath(path)) if sagemaker_file else parsed


def _host_count(value):
    try:
        count = int(value)
    except ValueError:
        count = 0
    if count < 1:
        raise argparse.ArgumentTypeError("--hosts wants a number of hosts (1 or more), got %r" % value)
    return count


def _endpoint_option(parser):
    parser.add_argument("--endpoint-url", default=None, metavar="URL",
                        help="S3-compatible endpoint (default: $AWS_ENDPOINT_URL, else AWS S3); "
                             "credentials come from the standard boto3 chain")


def build_parser():
    parser = argparse.ArgumentParser(
        prog="legacy-compat",
        description="Run, normalise and migrate SageMaker TensorFlow Legacy Mode training scripts.")
    parser.add_argument("--version", action="version", version="legacy-compat " + __version__)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    train = commands.add_parser(
        "train", help="train a Legacy Mode script unchanged",
        description="Train a Legacy Mode script. With SCRIPT: a local job (channels are folders, "
                    "the job directory is laid out like /opt/ml). Without SCRIPT: read the "
                    "SageMaker contract under /opt/ml (or $LEGACY_COMPAT_BASE_DIR).")
    train.add_argument("script", nargs="?", metavar="SCRIPT",
                       help="the legacy training script (.py)")
    train.add_argument("--channel", action="append", type=_channel, default=[],
                       metavar="NAME=DIR",
                       help="an input channel (a folder or s3://BUCKET/PREFIX); a bare DIR is "
                            "the 'training' channel (repeatable)")
    train.add_argument("--hyperparameters", default=None,
                       metavar="JSON|FILE.json",
                       help="hyperparameters as a JSON object or file, values taken as written; "
                            "sagemaker:FILE for a SageMaker hyperparameters.json (every value "
                            "JSON-encoded, decoded one by one)")
    train.add_argument("--job-dir", default="legacy-compat-job",
                       help="job directory laid out like /opt/ml (default: ./legacy-compat-job)")
    train.add_argument("--checkpoint-path", default=None,
                       help="checkpoint directory or s3://BUCKET/PREFIX (default: the job's "
                            "model/ directory)")
    train.add_argument("--output-path", default=None, metavar="s3://BUCKET/PREFIX",
                       help="upload the model (PREFIX/model) and output/ (PREFIX/output) there "
                            "at the end")
    train.add_argument("--install-requirements", action="store_true",
                       help="local mode: pip-install sagemaker_requirements / requirements.txt "
                            "beside the script into JOB_DIR/packages first (containers always do)")
    train.add_argument("--hosts", type=_host_count, default=1, metavar="N",
                       help="run an N-host parameter-server job on this machine over loopback, "
                            "for trying a multi-host job out (default: 1)")
    _endpoint_option(train)
    train.add_argument("--strict", action="store_true",
                       help="treat more than one model builder in the script as an error")
    train.add_argument("--no-eval", dest="evaluate", action="store_false",
                       help="train and export without evaluation (no eval_input_fn needed; "
                            "the legacy container required one)")
    train.add_argument("-q", "--quiet", action="store_true", help="log warnings and errors only")

    board = commands.add_parser(
        "tensorboard", help="TensorBoard on a job's checkpoints (local or s3://, followed live)",
        description="Start TensorBoard on a checkpoint directory. An s3:// path is mirrored "
                    "into a local folder that follows new checkpoints while TensorBoard runs.")
    board.add_argument("--checkpoint-path", required=True, metavar="DIR|s3://BUCKET/PREFIX")
    board.add_argument("--port", type=int, default=None,
                       help="default: the first free port from 6006 up")
    board.add_argument("--host", default="127.0.0.1", help="interface to listen on")
    board.add_argument("--local-dir", default=None,
                       help="where an s3:// path is mirrored (default: a temporary folder)")
    board.add_argument("--interval", type=float, default=5.0, metavar="SECONDS",
                       help="how often an s3:// path is synced (default: 5)")
    _endpoint_option(board)

    commands.add_parser("convert", add_help=False,
                        help="convert a Legacy Mode script into a Script Mode entry point")
    return parser


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "convert":
        # The converter has its own parser; everything after the word is its.
        from legacy_compat.convert.cli import main as convert_main
        return convert_main(argv[1:])
    args = build_parser().parse_args(argv)
    if args.command not in ("train", "tensorboard"):
        build_parser().print_help()
        return 2
    if args.endpoint_url:
        # Child processes (parameter servers, pip) see the same store.
        os.environ["AWS_ENDPOINT_URL"] = args.endpoint_url
    configure_logging(getattr(args, "quiet", False))
    if args.command == "tensorboard":
        from legacy_compat import board
        return board.main(args)
    from legacy_compat import cluster, environment, outcome, runner, storage
    from legacy_compat.errors import ConfigError
    base_dir = args.job_dir if args.script else environment.default_base_dir()
    try:
        # Decoded here, not by argparse, so that bad JSON still gets the job's failure file.
        args.hyperparameters = _decode_hyperparameters(args.hyperparameters)
    except ConfigError as error:
        return _refuse(outcome, os.path.join(base_dir, "output"), error, True)
    if args.hosts > 1:
        from legacy_compat import loopback
        return loopback.main(args)
    place = cluster.loopback_assignment() or {}
    try:
        if args.script:
            env = environment.Environment.local(
                args.script, channels=dict(args.channel), hyperparameters=args.hyperparameters,
                job_dir=args.job_dir, checkpoint_path=args.checkpoint_path,
                hosts=place.get("hosts"), current_host=place.get("current_host"))
        else:
            env = environment.Environment.from_base_dir(base_dir)
    except Exception as error:  # noqa: BLE001 - even a crash here must end with a verdict
        return _refuse(outcome, os.path.join(base_dir, "output"), error,
                       isinstance(error, ConfigError))
    options = storage.Options(output_path=args.output_path, endpoint_url=args.endpoint_url,
                              install_requirements=args.install_requirements)
    return runner.run(env, strict=args.strict, evaluate=args.evaluate, storage_options=options)


def _decode_hyperparameters(value):
    from legacy_compat.errors import ConfigError
    if value is None:
        return None
    try:
        return _hyperparameters(value)
    except argparse.ArgumentTypeError as error:
        raise ConfigError("--hyperparameters: %s" % error,
                          hint="pass a JSON object, e.g. '{\"training_steps\": 1000}', "
                               "or the path of a .json file holding one")


def _refuse(outcome, output_dir, error, is_config):
    """The job could not even be described: failure file, stderr, exit code."""
    import traceback
    text = "" if is_config else traceback.format_exc()
    message = "legacy-compat: %s" % (error if is_config else outcome.describe(error))
    try:
        outcome.write_failure(output_dir, error, text)
    except outcome.VerdictNotWritten as failed:
        message += ("\nlegacy-compat: the failure file %s could not be written (%s); "
                    "this message is the job's only verdict" % (failed.path, failed.reason))
    outcome.print_summary(message)
    return outcome.EXIT_BAD_INPUT if is_config else outcome.EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
