"""The client run.py's workers talk to their notebook kernels with (run.py; no notebook uses it).

jupyter_client's ready check (`wait_for_ready`) asks the kernel for its info, checks that IOPub works, then waits
until IOPub has been silent for 0.2 s. nbclient (inside papermill) runs that check before every notebook, and so
does run.py before it resets a kernel: 0.4 s of waiting per notebook, most of it on the run's critical path. The
client here checks the same two things and stops waiting as soon as the kernel's 'idle' status for an info request
has come over IOPub: that message is the last one the request causes.
"""
from __future__ import annotations

import time
from queue import Empty

from jupyter_client.blocking import BlockingKernelClient

REPLY_WAIT = 1.0  # seconds to wait for the kernel's info reply before asking again (as jupyter_client does)
IOPUB_WAIT = 0.2  # seconds to wait for each IOPub message; none means IOPub is not connected yet: ask again


class PromptClient(BlockingKernelClient):
    """jupyter_client's blocking kernel client, with a ready check that ends when the kernel has answered."""

    def wait_for_ready(self, timeout: float | None = None) -> None:
        """Return once the kernel answers an info request and IOPub delivers the 'idle' status of one.

        Any info reply counts, as in jupyter_client: a slow kernel answers an earlier request while this check has
        asked again (a check that waited for the latest request's reply would never catch up under load)."""
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        requests: set[str] = set()
        while True:
            requests.add(self.kernel_info())
            try:
                reply = self.get_shell_msg(timeout=REPLY_WAIT)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply" and self.idle_after(requests):
                self._handle_kernel_info_reply(reply)  # the protocol version, as jupyter_client's check sets it
                return
            if not self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    def idle_after(self, requests: set[str]) -> bool:
        """Read IOPub until the kernel says it is idle after one of `requests`; False when IOPub stays quiet first."""
        try:
            while True:
                message = self.get_iopub_msg(timeout=IOPUB_WAIT)
                if (message["msg_type"] == "status" and message["content"].get("execution_state") == "idle"
                        and message["parent_header"].get("msg_id") in requests):
                    return True
        except Empty:
            return False
