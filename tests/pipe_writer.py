"""Feed a Pipe Mode channel like SageMaker does: one FIFO per epoch, <channel>_<epoch>.

    python pipe_writer.py PIPE_DIR CHANNEL EPOCHS SOURCE [SOURCE ...] [--pause BYTES GO_FILE]

Epoch i streams the bytes of SOURCE[i % len(SOURCES)]; EPOCHS=0 serves epochs until killed.
With --pause, epoch 0 stops after BYTES bytes (the FIFO still open) until GO_FILE exists.
Python 2.7 compatible; needs no TensorFlow.
"""
import os
import sys
import time


def main(argv):
    pause_bytes, go_file = None, None
    if "--pause" in argv:
        at = argv.index("--pause")
        pause_bytes, go_file = int(argv[at + 1]), argv[at + 2]
        argv = argv[:at]
    pipe_dir, channel, epochs, sources = argv[0], argv[1], int(argv[2]), argv[3:]
    epoch = 0
    while epochs == 0 or epoch < epochs:
        path = os.path.join(pipe_dir, "%s_%d" % (channel, epoch))
        os.mkfifo(path)
        with open(sources[epoch % len(sources)], "rb") as source:
            data = source.read()
        with open(path, "wb") as fifo:  # blocks until the reader opens it
            if pause_bytes is not None and epoch == 0:
                fifo.write(data[:pause_bytes])
                fifo.flush()
                while not os.path.exists(go_file):
                    time.sleep(0.05)
                data = data[pause_bytes:]
            fifo.write(data)
        os.remove(path)  # SageMaker removes a consumed epoch's FIFO too
        epoch += 1


if __name__ == "__main__":
    main(sys.argv[1:])
