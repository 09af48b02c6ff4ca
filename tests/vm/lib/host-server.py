#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# Serve the guest's requests to QEMU (started by tests/vm/run).
#
# Usage: host-server.py RESULTS_DIR
#
# The guest (tests/test_helper/vm.bash: vm_qmp, vm_hmp) or a --host-hook
# program drops a request into RESULTS_DIR/host/, named ID.qmp (one QMP
# command as JSON) or ID.hmp (one human monitor command line).  A request
# is complete once it ends with a newline: the guest writes it with a
# single write (renaming would cost a process, slow under TCG).  This server
# runs it over QEMU's QMP socket (RESULTS_DIR/qmp.sock) and answers with
#   ID.out  the reply: the QMP reply as one JSON line, or the HMP text
#   ID.rc   0 if QEMU accepted the command, 1 if it returned an error,
#           2 if the request was malformed; written last
# and renames the request to ID.qmp.done / ID.hmp.done.  QMP events go to
# RESULTS_DIR/host/events.jsonl, one JSON object per line, so that tests can
# wait for DEVICE_DELETED and the like.  It exits when QEMU closes the socket.

import json
import os
import select
import socket
import sys
import time

POLL = 0.05  # seconds between scans of the request directory


class Qmp:
    def __init__(self, path, events):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        # QEMU creates the socket before it starts the guest; give a slow
        # start a few seconds.
        for _ in range(200):
            try:
                self.sock.connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                time.sleep(0.05)
        else:
            sys.exit(f"host-server: cannot connect to {path}")
        self.buf = b""
        self.events = events
        self.next_id = 0
        self.recv()  # greeting
        self.command({"execute": "qmp_capabilities"})

    def recv(self, timeout=None):
        """Return the next non-event message; None on timeout; exit on EOF."""
        while True:
            while b"\n" in self.buf:
                line, self.buf = self.buf.split(b"\n", 1)
                if not line.strip():
                    continue
                msg = json.loads(line)
                if "event" in msg:
                    self.events.write(json.dumps(msg) + "\n")
                    self.events.flush()
                    continue
                return msg
            ready, _, _ = select.select([self.sock], [], [], timeout)
            if not ready:
                return None
            data = self.sock.recv(65536)
            if not data:
                sys.exit(0)  # QEMU is gone
            self.buf += data

    def command(self, cmd):
        self.next_id += 1
        cmd = dict(cmd, id=self.next_id)
        self.sock.sendall(json.dumps(cmd).encode() + b"\n")
        while True:
            msg = self.recv()
            if msg.get("id") == self.next_id:
                return msg


def answer(hostdir, req, out, rc):
    base = os.path.join(hostdir, req.rsplit(".", 1)[0])
    for suffix, text in ((".out", out), (".rc", f"{rc}\n")):
        with open(base + suffix + ".tmp", "w") as f:
            f.write(text)
        os.rename(base + suffix + ".tmp", base + suffix)
    os.rename(os.path.join(hostdir, req), os.path.join(hostdir, req + ".done"))


def serve(qmp, hostdir, req):
    """Run request req; False if it is not completely written yet."""
    with open(os.path.join(hostdir, req)) as f:
        text = f.read()
    if not text.endswith("\n"):
        return False
    text = text.strip()
    if req.endswith(".hmp"):
        cmd = {"execute": "human-monitor-command",
               "arguments": {"command-line": text}}
    else:
        try:
            cmd = json.loads(text)
            if not isinstance(cmd, dict) or "execute" not in cmd:
                raise ValueError("not a QMP command object")
        except ValueError as e:
            answer(hostdir, req, f"host-server: malformed request: {e}\n", 2)
            return True
    reply = qmp.command(cmd)
    if req.endswith(".hmp") and "return" in reply:
        out = reply["return"]
    else:
        reply.pop("id", None)
        out = json.dumps(reply) + "\n"
    answer(hostdir, req, out, 0 if "return" in reply else 1)
    return True


def main():
    # Relative paths from here on: a socket path must fit in 108 bytes,
    # however deep the checkout is.
    os.chdir(sys.argv[1])
    hostdir = "host"
    os.makedirs(hostdir, exist_ok=True)
    with open(os.path.join(hostdir, "events.jsonl"), "a") as events:
        qmp = Qmp("qmp.sock", events)
        while True:
            for req in sorted(os.listdir(hostdir)):
                if req.endswith((".qmp", ".hmp")) and serve(qmp, hostdir, req):
                    print(f"host-server: {req}", flush=True)
            qmp.recv(POLL)  # also the wait: collects events meanwhile


if __name__ == "__main__":
    main()
