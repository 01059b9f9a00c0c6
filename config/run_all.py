"""`make run`: the web server, a Celery worker and Celery beat together, until Ctrl-C.

If any of the three stops, the others are stopped too: a demo with a dead worker would
silently never send anything, which is worse than no demo.
"""

import os
import signal
import subprocess
import sys
import time

HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8000")


def commands():
    python = sys.executable
    celery = [python, "-m", "celery", "-A", "config"]
    return {
        "web": [python, "manage.py", "runserver", f"{HOST}:{PORT}", "--noreload"],
        "worker": [*celery, "worker", "-Q", "default,mail,imports", "-c", "2", "-l", "info"],
        "beat": [*celery, "beat", "-l", "info", "--pidfile="],
    }


def main():
    processes = {name: subprocess.Popen(cmd) for name, cmd in commands().items()}
    print(
        f"\nTrustdesk is running: admin at http://{HOST}:{PORT}/admin/ "
        "(web, worker and beat; Ctrl-C stops all three)\n",
        flush=True,
    )
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    try:
        while not stopping:
            for name, process in processes.items():
                if process.poll() is not None:
                    print(f"{name} stopped (exit {process.returncode}); stopping the rest.")
                    exit_code = process.returncode or 1
                    stopping = True
                    break
            time.sleep(0.5)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
