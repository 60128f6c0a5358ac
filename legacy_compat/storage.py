"""Local and remote paths: where a job's files live and how remote ones reach it.

TensorFlow 2.6 dropped its own ``s3://`` file system and the plugin that
replaced it no longer loads, so nothing here hands a URI to TensorFlow. A
remote location is mirrored in a local folder and the mirror is synced with
boto3's transfer manager, the same way on every TensorFlow release:

* a remote checkpoint directory is *staged*: downloaded at start (so a job
  resumes), uploaded while training whenever TensorFlow finishes writing a
  checkpoint (a watcher on its ``checkpoint`` state file), and at the end;
* remote channels (local mode) are downloaded into ``input/data/<channel>``;
* the model and ``output/`` are uploaded when an ``s3://`` output path is given.

Credentials, region and retries come from boto3's standard chain; an endpoint
URL (``--endpoint-url`` or ``AWS_ENDPOINT_URL``) points at an S3-compatible
store. boto3 is imported only when a remote path is actually used.
"""

import hashlib
import logging
import os
import threading
import time

import six

from legacy_compat.errors import ConfigError, StorageError

logger = logging.getLogger("legacy_compat")

ENDPOINT_ENVS = ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")
REGION_ENVS = ("AWS_REGION", "AWS_DEFAULT_REGION", "SAGEMAKER_REGION")
# TensorFlow rewrites this small file last, after every file of a new checkpoint is on disk.
CHECKPOINT_STATE = "checkpoint"
STAGING_DIR = "checkpoint-staging"


def is_remote(path):
    """True for storage URIs (``s3://...``) that TensorFlow 2.x cannot open itself."""
    scheme = _scheme(path)
    return bool(scheme) and scheme != "file"


def _scheme(path):
    head, sep, _ = (path or "").partition("://")
    return head.lower() if sep and "/" not in head else ""


def local_path(path):
    """A ``file://`` URI as a plain path; other local paths unchanged."""
    if _scheme(path) == "file":
        return path[len("file://"):]
    return path


def split_s3_uri(uri):
    """``s3://bucket/a/b`` -> ``("bucket", "a/b")``; anything but s3 is refused clearly."""
    scheme = _scheme(uri)
    if scheme != "s3":
        raise ConfigError("unsupported storage URI %r" % uri,
                          hint="remote paths must be s3://BUCKET/PREFIX (S3-compatible stores: "
                               "set --endpoint-url or AWS_ENDPOINT_URL)")
    bucket, _, key = uri[len("s3://"):].partition("/")
    if not bucket:
        raise ConfigError("%r names no bucket" % uri, hint="write s3://BUCKET/PREFIX")
    return bucket, key.strip("/")


def join_key(prefix, relative):
    return "/".join(part for part in (prefix, relative) if part)


def staging_dir(base_dir, uri):
    """The local mirror of a remote checkpoint directory inside the job directory.

    Named after the URI, so a different checkpoint_path never resumes from an
    unrelated mirror, and stable, so a rerun finds checkpoints that were saved
    while the store was unreachable.
    """
    bucket, key = split_s3_uri(uri)
    return os.path.join(os.path.abspath(base_dir), STAGING_DIR, bucket, *key.split("/"))


def local_checkpoint_dir(env):
    """Where TensorFlow writes checkpoints for ``env``: local as given, remote staged."""
    path = env.checkpoint_dir
    return staging_dir(env.base_dir, path) if is_remote(path) else path


def endpoint_url(explicit=None):
    if explicit:
        return explicit
    for name in ENDPOINT_ENVS:
        if os.environ.get(name):
            return os.environ[name]
    return None


def _human(size):
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return ("%d %s" if unit == "B" else "%.1f %s") % (size, unit)
        size /= 1024.0


def _md5(path):
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _signature(path):
    stat = os.stat(path)
    return (stat.st_size, stat.st_mtime)


def _partial_name(path, suffix=""):
    """A hidden sibling for a file being downloaded; its name never contains 'tfevents',
    which TensorBoard would otherwise read as a half-written event file."""
    name = hashlib.md5((os.path.basename(path) + suffix).encode("utf-8")).hexdigest()[:16]
    return os.path.join(os.path.dirname(path), ".%s.s3part" % name)


def _local_files(local_dir):
    """Relative POSIX paths of every regular file under ``local_dir``."""
    found = []
    for root, _, names in os.walk(local_dir):
        for name in names:
            path = os.path.join(root, name)
            if os.path.isfile(path) and not name.endswith(".s3part"):
                found.append(os.path.relpath(path, local_dir).replace(os.sep, "/"))
    return sorted(found)


class _Progress(object):
    """Logs a transfer's progress at most every few seconds (boto3 calls back per chunk)."""

    def __init__(self, verb, uri, total_bytes, files, interval=2.0):
        self.verb = verb
        self.uri = uri
        self.total = total_bytes
        self.files = files
        self.done_files = 0
        self.done_bytes = 0
        self.interval = interval
        self.last = time.time()
        self.lock = threading.Lock()

    def __call__(self, amount):
        with self.lock:
            self.done_bytes += amount
            if time.time() - self.last >= self.interval:
                self.report()

    def file_done(self):
        with self.lock:
            self.done_files += 1

    def report(self):
        self.last = time.time()
        percent = 100.0 * self.done_bytes / self.total if self.total else 100.0
        logger.info("%s %s: %d/%d files, %s of %s (%.0f%%)", self.verb, self.uri, self.done_files,
                    self.files, _human(self.done_bytes), _human(self.total), percent)


class S3(object):
    """One boto3 S3 client with this job's endpoint, plus the operations the runtime needs.

    Every failure becomes a :class:`StorageError` naming the URI, the store and
    what to do; boto3's own retries (``AWS_MAX_ATTEMPTS``, default 5 here) run
    first.
    """

    def __init__(self, endpoint=None):
        self.endpoint = endpoint_url(endpoint)
        self._client = None

    @property
    def client(self):
        if self._client is None:
            try:
                import boto3
                from botocore.config import Config
            except ImportError:
                raise StorageError("s3:// paths need the boto3 package, which is not installed",
                                   hint="pip install boto3 (it is a dependency of legacy-compat; "
                                        "reinstall legacy-compat to get it)")
            region = None
            for name in REGION_ENVS:
                region = region or os.environ.get(name)
            options = {"connect_timeout": 10, "read_timeout": 120}
            if not os.environ.get("AWS_MAX_ATTEMPTS"):
                options["retries"] = {"max_attempts": 5}
            self._client = boto3.client("s3", endpoint_url=self.endpoint, region_name=region,
                                        config=Config(**options))
        return self._client

    def where(self):
        return "the S3 endpoint %s" % self.endpoint if self.endpoint else "S3"

    def error(self, exc, uri, action):
        """A StorageError for a boto3/botocore exception raised while doing ``action``."""
        code = ""
        response = getattr(exc, "response", None)
        if isinstance(response, dict):
            code = str(response.get("Error", {}).get("Code", ""))
        if code in ("NoSuchBucket", "404") and action.startswith("check"):
            return StorageError("bucket %r does not exist on %s" % (split_s3_uri(uri)[0], self.where()),
                                path=uri, hint="create the bucket or fix the s3:// path")
        if code in ("NoSuchKey", "404"):
            return StorageError("no such object on %s" % self.where(), path=uri,
                                hint="check the key (list its prefix with: aws s3 ls %s/)" %
                                     uri.rsplit("/", 1)[0])
        if code in ("403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"):
            return StorageError("access denied while %s (%s)" % (action, code), path=uri,
                                hint="check the AWS credentials (environment, ~/.aws, or the "
                                     "instance role) and the bucket policy")
        name = type(exc).__name__
        if name in ("NoCredentialsError", "PartialCredentialsError"):
            return StorageError("no AWS credentials found while %s" % action, path=uri,
                                hint="set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, "
                                     "or run where an instance role is available")
        return StorageError("%s failed on %s: %s: %s" % (action, self.where(), name, exc), path=uri,
                            hint="check that the store is reachable (AWS_ENDPOINT_URL / "
                                 "--endpoint-url for S3-compatible stores) and rerun")

    def _call(self, uri, action, function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except StorageError:
            raise
        except Exception as exc:  # botocore raises many unrelated classes for one failure
            if type(exc).__module__.split(".")[0] not in ("botocore", "boto3", "s3transfer",
                                                          "urllib3", "socket"):
                raise
            # The message carries boto3's own text; its deep traceback would bury it.
            six.raise_from(self.error(exc, uri, action), None)

    def check_bucket(self, uri):
        """Fail now, before training, when the bucket of ``uri`` is missing or unreachable."""
        bucket, _ = split_s3_uri(uri)
        self._call(uri, "checking the bucket", self.client.head_bucket, Bucket=bucket)

    def listing(self, uri):
        """``{relative key: (size, etag, last-modified epoch)}`` of every object under ``uri``."""
        bucket, prefix = split_s3_uri(uri)
        base = prefix + "/" if prefix else ""
        found = {}

        def collect():
            paginator = self.client.get_paginator("list_objects_v2")
            for page in paginator.paginate(Bucket=bucket, Prefix=base):
                for item in page.get("Contents", []):
                    relative = item["Key"][len(base):]
                    if relative and not relative.endswith("/"):
                        modified = item["LastModified"]
                        found[relative] = (item["Size"], item.get("ETag", "").strip('"'),
                                           _epoch(modified))

        self._call(uri, "listing", collect)
        return found

    def download_file(self, uri, path, callback=None):
        bucket, key = split_s3_uri(uri)
        directory = os.path.dirname(path)
        if directory and not os.path.isdir(directory):
            os.makedirs(directory)
        partial = _partial_name(path)
        self._call(uri, "downloading", self.client.download_file, bucket, key, partial,
                   Callback=callback)
        os.rename(partial, path)

    def upload_file(self, path, uri, callback=None):
        bucket, key = split_s3_uri(uri)
        self._call(uri, "uploading", self.client.upload_file, path, bucket, key,
                   Callback=callback)

    def delete(self, uri):
        bucket, key = split_s3_uri(uri)
        self._call(uri, "deleting", self.client.delete_object, Bucket=bucket, Key=key)

    def upload_tree(self, local_dir, uri):
        """Upload every file under ``local_dir`` to ``uri``; return the count."""
        files = _local_files(local_dir)
        meter = _Progress("uploading", uri,
                          sum(os.path.getsize(os.path.join(local_dir, f)) for f in files), len(files))
        for relative in files:
            self.upload_file(os.path.join(local_dir, *relative.split("/")),
                             join_key(uri.rstrip("/"), relative), callback=meter)
            meter.file_done()
        meter.report()
        return len(files)


def _epoch(value):
    """A datetime from botocore (timezone-aware) as seconds since the epoch."""
    if hasattr(value, "timestamp"):
        return value.timestamp()
    import calendar
    return calendar.timegm(value.utctimetuple()) + value.microsecond / 1e6


class Mirror(object):
    """A local folder kept in step with an ``s3://`` prefix.

    ``pull`` fetches what the remote has newer (a resumed job, or TensorBoard
    following a job); ``push`` uploads what changed locally since the last sync
    -- the checkpoint state file last, so the remote never names a checkpoint
    whose files are not there yet -- and removes remote copies of files
    TensorFlow deleted (``keep_checkpoint_max``).
    """

    def __init__(self, s3, uri, local_dir, grow_in_place=False):
        self.s3 = s3
        self.uri = uri.rstrip("/")
        self.local_dir = local_dir
        # TensorBoard keeps event files open: a file that only grew remotely is
        # extended in place, so the open handle sees the new events.
        self.grow_in_place = grow_in_place
        # relative path -> local (size, mtime) known to equal the remote object
        self.synced = {}

    def _path(self, relative):
        return os.path.join(self.local_dir, *relative.split("/"))

    def pull(self, objects=None, progress=False):
        """Download remote objects that are missing or older locally; return how many came."""
        if not os.path.isdir(self.local_dir):
            os.makedirs(self.local_dir)
        if objects is None:
            objects = self.s3.listing(self.uri)
        meter = _Progress("downloading", self.uri, sum(v[0] for v in objects.values()),
                          len(objects)) if progress else None
        fetched = 0
        for relative, (size, etag, modified) in sorted(objects.items()):
            if meter is not None:
                meter.file_done()
            path = self._path(relative)
            if os.path.isfile(path):
                local_size, local_mtime = _signature(path)
                same = local_size == size and (etag == _md5(path) if "-" not in etag else True)
                if same or local_mtime >= modified:
                    # Equal, or written here after the upload (saved while the store was away).
                    if same:
                        self.synced[relative] = _signature(path)
                    continue
            if self.grow_in_place and os.path.isfile(path):
                self._extend(relative, path)
            else:
                self.s3.download_file(join_key(self.uri, relative), path, callback=meter)
            os.utime(path, (modified, modified))
            self.synced[relative] = _signature(path)
            fetched += 1
        if meter is not None:
            meter.report()
        return fetched

    def _extend(self, relative, path):
        partial = _partial_name(path, ".grown")
        self.s3.download_file(join_key(self.uri, relative), partial)
        try:
            old_size = os.path.getsize(path)
            with open(partial, "rb") as new, open(path, "rb") as old:
                grown = new.read(old_size) == old.read()
                tail = new.read() if grown else None
            if grown:
                with open(path, "ab") as handle:
                    handle.write(tail)
            else:
                os.rename(partial, path)
        finally:
            if os.path.exists(partial):
                os.remove(partial)

    def push(self):
        """Upload local changes and drop remote copies of deleted files; return how many moved."""
        present = _local_files(self.local_dir) if os.path.isdir(self.local_dir) else []
        changed = [f for f in present if self.synced.get(f) != _signature(self._path(f))]
        changed.sort(key=lambda f: (f == CHECKPOINT_STATE, f))
        for relative in changed:
            try:
                signature = _signature(self._path(relative))
                self.s3.upload_file(self._path(relative), join_key(self.uri, relative))
            except (IOError, OSError):
                continue  # a temporary file TensorFlow renamed or removed meanwhile
            self.synced[relative] = signature
        gone = [f for f in self.synced if f not in present]
        for relative in gone:
            self.s3.delete(join_key(self.uri, relative))
            del self.synced[relative]
        return len(changed) + len(gone)


class Watcher(object):
    """Runs ``action`` in a background thread whenever ``path`` changes, and once at stop.

    Used to upload a checkpoint as soon as TensorFlow has written it, without
    a TensorFlow hook (so it works the same on TF 1.4 and 2.x and also covers
    evaluation and export writes), and by ``legacy-compat tensorboard`` to
    follow a remote job.
    """

    def __init__(self, action, path=None, interval=1.0, name="legacy-compat-sync"):
        self.action = action
        self.path = path
        self.interval = interval
        self.errors = []
        self._stop = threading.Event()
        self._seen = None
        self._thread = threading.Thread(target=self._loop, name=name)
        self._thread.daemon = True

    def _stamp(self):
        if self.path is None:
            return time.time()  # no file to watch: act on every tick
        try:
            stat = os.stat(self.path)
        except OSError:
            return None
        return (stat.st_size, stat.st_mtime)

    def _run(self):
        try:
            self.action()
            del self.errors[:]
        except Exception as exc:  # noqa: BLE001 -- a dead sync thread would fail silently
            # Training goes on with the local copy; the final sync reports it.
            if not self.errors:
                logger.warning("%s; will retry (local files are kept)", str(exc).splitlines()[0])
            self.errors.append(exc)
            return False
        return True

    def _loop(self):
        while not self._stop.wait(self.interval):
            stamp = self._stamp()
            if stamp is not None and (stamp != self._seen or self.errors):
                if self._run():
                    self._seen = stamp

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


class CheckpointStaging(object):
    """A remote checkpoint directory seen by TensorFlow as a local one."""

    def __init__(self, s3, uri, local_dir, upload=True):
        self.mirror = Mirror(s3, uri, local_dir)
        self.upload = upload
        self.watcher = None

    @property
    def uri(self):
        return self.mirror.uri

    @property
    def local_dir(self):
        return self.mirror.local_dir

    def start(self):
        self.mirror.s3.check_bucket(self.uri)
        fetched = self.mirror.pull()
        if fetched:
            logger.info("downloaded %d checkpoint file(s) from %s to %s", fetched, self.uri,
                        self.local_dir)
        logger.info("checkpoints: %s, staged in %s", self.uri, self.local_dir)
        if self.upload:
            self.watcher = Watcher(self.mirror.push,
                                   os.path.join(self.local_dir, CHECKPOINT_STATE)).start()

    def finish(self):
        """Stop following, upload what is left; a store that stays away is a clear failure."""
        if self.watcher is not None:
            self.watcher.stop()
        if not self.upload:
            return
        try:
            self.mirror.push()
        except StorageError as exc:
            cause = str(exc).splitlines()[0]
            # The cause is one line here; boto3's chained traceback would only bury it.
            six.raise_from(StorageError(
                "the checkpoints could not be uploaded to %s (%s)" % (self.uri, cause),
                hint="they are kept in %s; rerun the same command (same --job-dir) once the "
                     "store is reachable: the job resumes from them and uploads them" %
                     self.local_dir), None)
        logger.info("checkpoints uploaded to %s", self.uri)


class Options(object):
    """Storage settings of one run (command-line options)."""

    def __init__(self, output_path=None, endpoint_url=None, install_requirements=False):
        self.output_path = output_path.rstrip("/") if output_path else None
        self.endpoint_url = endpoint_url
        self.install_requirements = install_requirements


class JobStorage(object):
    """The remote side of one training job, from the first download to the last upload."""

    def __init__(self, env, options=None):
        self.env = env
        self.options = options or Options()
        self.checkpoints = None
        self._s3 = None

    @property
    def s3(self):
        if self._s3 is None:
            self._s3 = S3(self.options.endpoint_url)
        return self._s3

    def prepare(self):
        """Check buckets (fail before training), download remote channels, stage checkpoints."""
        output = self.options.output_path
        if output:
            if not is_remote(output):
                raise ConfigError("--output-path %r is not an s3:// URI" % output,
                                  hint="locally the job directory (--job-dir) holds the model "
                                       "and output; --output-path is for s3://BUCKET/PREFIX")
            self.s3.check_bucket(output)
        checkpoint_uri = self.env.checkpoint_dir
        if is_remote(checkpoint_uri):
            # Only the master writes checkpoints in a cluster; every host may read them.
            self.checkpoints = CheckpointStaging(self.s3, checkpoint_uri,
                                                 local_checkpoint_dir(self.env),
                                                 upload=self.env.is_master)
            self.s3.check_bucket(checkpoint_uri)
        for name, uri in sorted(getattr(self.env, "remote_channels", {}).items()):
            self.fetch_channel(name, uri)
        if self.checkpoints is not None:
            self.checkpoints.start()

    def fetch_channel(self, name, uri):
        self.s3.check_bucket(uri)
        objects = self.s3.listing(uri)
        if not objects:
            raise StorageError("channel %r: no objects under %s" % (name, uri), path=uri,
                               hint="check the prefix; the channel is downloaded from every "
                                    "object below it")
        local_dir = self.env.channel_dirs[name]
        fetched = Mirror(self.s3, uri, local_dir).pull(objects, progress=True)
        logger.info("channel %r: %s in %s (%d file(s) downloaded, %d already there)", name, uri,
                    local_dir, fetched, len(objects) - fetched)

    def finish(self):
        """After training, before the verdict: the last checkpoint, model and output/ uploads.

        Raises on failure, so a job whose results did not reach the store fails.
        """
        if self.checkpoints is not None:
            self.checkpoints.finish()
        if self.options.output_path and self.env.is_master and os.path.isdir(self.env.model_dir):
            uri = join_key(self.options.output_path, "model")
            count = self.s3.upload_tree(self.env.model_dir, uri)
            logger.info("model uploaded to %s (%d file(s))", uri, count)
            self.upload_output()  # output/data now; the verdict file follows it

    def abandon(self):
        """After a failure: stop the checkpoint watcher, keep the local files."""
        if self.checkpoints is not None and self.checkpoints.watcher is not None:
            self.checkpoints.watcher.stop()

    def upload_output(self, best_effort=False):
        """Upload ``output/`` (success or failure file, output/data) to the output path."""
        if not self.options.output_path or not os.path.isdir(self.env.output_dir):
            return
        uri = join_key(self.options.output_path, "output")
        if not self.env.is_master:
            # Every host has an output/ of its own; the master's is the job's.
            uri = join_key(uri, self.env.current_host)
        try:
            self.s3.upload_tree(self.env.output_dir, uri)
        except (StorageError, ConfigError) as exc:
            if not best_effort:
                raise
            logger.error("could not upload %s to %s: %s", self.env.output_dir, uri, exc)
