"""The process-level wall: operating-system limits for the worker processes that run rules.

Every rule execution of the command line (parsing, code generation and runs: `rulec
compile`, `rulec synth`, `rulec tasks gen`) happens in a worker process started by
:mod:`rulec.parallel`. Before the worker imports or runs anything of the rule, it calls
:func:`enter` which

- sets ``RLIMIT_AS`` (address space: 2 GiB by default on top of what the worker inherited), ``RLIMIT_CORE`` 0, ``RLIMIT_FSIZE`` 0
  (no byte written to any regular file; ``SIGXFSZ`` ignored so a write fails instead),
  ``RLIMIT_NOFILE`` (a few descriptors), ``RLIMIT_NPROC`` 0 (not enforced for root), and
  ``RLIMIT_CPU`` as a lifetime cap (the worker retires before reaching it);
- closes every inherited file descriptor except the pipe to the parent and 0-2;
- ignores SIGINT (Ctrl-C is the parent's business) and dies with the parent;
- on Linux x86-64 installs a seccomp filter (no new privileges) that refuses process
  creation (fork, vfork, clone without ``CLONE_THREAD``, exec), sockets, ptrace and
  cross-process memory access, signals to other processes, raising limits, opening files
  for writing and every call that changes the file system.

Each item then runs under a CPU-time timer (``ITIMER_PROF``, default 60 s; ``SIGPROF``
kills the worker) and the parent kills a worker that sends nothing for the wall-clock
budget. Budgets come from :class:`Limits` (environment: ``RULEC_MEMORY``,
``RULEC_CPU_SECONDS``, ``RULEC_WALL_SECONDS``).
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import resource
import signal
from dataclasses import dataclass

GIB = 1 << 30


def parse_size(text: str) -> int:
    """``"2G"``, ``"512M"``, ``"1500000000"`` -> bytes; ValueError otherwise."""
    t = text.strip().upper().removesuffix("B").removesuffix("I")
    scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}.get(t[-1:], 1)
    number = float(t[:-1] if scale > 1 else t)
    if not number > 0:
        raise ValueError(text)
    return int(number * scale)


def human_size(n: int) -> str:
    for unit, size in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            value = n / size
            return f"{value:g} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


@dataclass(frozen=True)
class Limits:
    """Budgets of one worker process (see the module docstring)."""

    memory: int = 2 * GIB  # bytes of address space
    cpu_seconds: float = 60.0  # CPU time of one item (and of the worker's setup)
    wall_seconds: float = 300.0  # the parent's patience with a worker that sends nothing
    open_files: int = 32
    lifetime_cpu: float = 3600.0  # a worker retires after half of this much CPU time
    seccomp: bool = True

    @classmethod
    def from_env(cls) -> Limits:
        """Defaults, overridden by RULEC_MEMORY / RULEC_CPU_SECONDS / RULEC_WALL_SECONDS."""
        kw = {}
        for var, key, conv in (
            ("RULEC_MEMORY", "memory", parse_size),
            ("RULEC_CPU_SECONDS", "cpu_seconds", float),
            ("RULEC_WALL_SECONDS", "wall_seconds", float),
        ):
            text = os.environ.get(var)
            if text:
                try:
                    value = conv(text)
                except ValueError:
                    raise ValueError(f"{var}={text!r} is not a valid budget") from None
                if not value > 0:
                    raise ValueError(f"{var}={text!r} is not a valid budget")
                kw[key] = value
        return cls(**kw)

    def describe(self, kind: str) -> str:
        """The one-line message of a budget a worker ran past."""
        if kind == "memory":
            return f"the rule exceeded the memory budget ({human_size(self.memory)})"
        if kind == "cpu":
            return f"the rule exceeded the CPU time budget ({self.cpu_seconds:g} s)"
        if kind == "wall":
            return f"the rule exceeded the wall-clock budget ({self.wall_seconds:g} s)"
        return f"the rule crashed its worker process ({kind})"


DEFAULT_LIMITS = Limits()


def death_reason(exitcode: int | None) -> str:
    """The kind of failure for :meth:`Limits.describe` from a dead worker's exit code."""
    if exitcode is not None and exitcode < 0:
        sig = -exitcode
        if sig in (signal.SIGPROF, signal.SIGXCPU):
            return "cpu"
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        if sig == signal.SIGKILL:
            return "SIGKILL, possibly out of memory"
        return name
    return f"exit code {exitcode}"


# ------------------------------------------------------------------ entering the wall


def enter(limits: Limits, keep_fds: tuple[int, ...] = ()) -> None:
    """Apply every limit to this (worker) process. Irreversible."""
    _close_fds(keep_fds)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGPROF, signal.SIG_DFL)
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _die_with_parent()
    used = _cpu_used()
    for res, value in (
        (resource.RLIMIT_CORE, 0),
        (resource.RLIMIT_FSIZE, 0),
        (resource.RLIMIT_NOFILE, limits.open_files),
        (resource.RLIMIT_NPROC, 0),
        (resource.RLIMIT_AS, _address_space() + limits.memory),
        (resource.RLIMIT_CPU, int(used + limits.lifetime_cpu) + 1),
    ):
        _lower(res, value)
    if limits.seccomp:
        install_seccomp()


def _lower(res: int, value: int) -> None:
    soft, hard = resource.getrlimit(res)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    try:
        resource.setrlimit(res, (value, value))
    except (ValueError, OSError):
        resource.setrlimit(res, (min(value, soft) if soft != resource.RLIM_INFINITY else value, hard))


def _address_space() -> int:
    """Bytes of address space mapped now (the budget comes on top of what the worker
    inherited from its parent at the fork)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _close_fds(keep: tuple[int, ...]) -> None:
    keep_set = {0, 1, 2, *keep}
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        fds = list(range(3, 1024))
    for fd in fds:
        if fd not in keep_set:
            try:
                os.close(fd)
            except OSError:
                pass


def _cpu_used() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def cpu_used() -> float:
    return _cpu_used()


def arm_cpu_timer(seconds: float) -> None:
    signal.setitimer(signal.ITIMER_PROF, seconds)


def disarm_cpu_timer() -> None:
    signal.setitimer(signal.ITIMER_PROF, 0)


def _libc():
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def _die_with_parent() -> None:
    libc = _libc()
    if libc is not None and hasattr(libc, "prctl"):
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG


# ------------------------------------------------------------------ seccomp (Linux x86-64)

_AUDIT_ARCH_X86_64 = 0xC000003E
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_JSET = 0x45  # BPF_JMP | BPF_JSET | BPF_K
_RET = 0x06  # BPF_RET | BPF_K
_CLONE_THREAD = 0x10000
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_TIOCSTI = 0x5412

# Refused with EPERM: process creation and exec, sockets, tracing and other processes'
# memory, limits, privileges, namespaces, modules, and every call that changes files.
_DENY = (
    57, 58, 59, 322,  # fork vfork execve execveat
    41, 53, 42, 49, 50, 43, 288,  # socket socketpair connect bind listen accept accept4
    101, 310, 311,  # ptrace process_vm_readv process_vm_writev
    160, 105, 106, 113, 114, 117, 119, 308, 272,  # setrlimit set*id setns unshare
    165, 166, 161, 155, 169, 246, 320, 175, 313, 176,  # mount … reboot kexec modules
    321, 298, 323, 425, 426, 427, 250, 248, 249, 135,  # bpf perf userfaultfd io_uring keys
    85, 87, 263, 82, 264, 316, 83, 258, 84, 86, 265, 88, 266,  # creat unlink rename mkdir link
    90, 91, 268, 92, 93, 94, 260, 76, 77, 285, 133, 259,  # chmod chown truncate fallocate mknod
    303, 304, 188, 189, 190, 197, 198, 199, 132, 235, 280, 261,  # handles xattrs times
)
_NOSYS = (435, 437)  # clone3 (glibc falls back to clone), openat2


def _filter(pid: int) -> list[tuple[int, int, int, int]]:
    prog: list[tuple[int, int, int, int]] = []

    def deny(code: int = errno.EPERM) -> tuple[int, int, int, int]:
        return (_RET, 0, 0, _RET_ERRNO | code)

    def arg_low(i: int) -> tuple[int, int, int, int]:
        return (_LD_W_ABS, 0, 0, 16 + 8 * i)

    nr = (_LD_W_ABS, 0, 0, 0)
    allow = (_RET, 0, 0, _RET_ALLOW)
    prog += [(_LD_W_ABS, 0, 0, 4), (_JEQ, 1, 0, _AUDIT_ARCH_X86_64), deny(), nr]
    prog += [(_JGE, 0, 1, 0x40000000), deny()]  # the x32 ABI
    for number in _DENY:
        prog += [(_JEQ, 0, 1, number), deny()]
    for number in _NOSYS:
        prog += [(_JEQ, 0, 1, number), deny(errno.ENOSYS)]
    # clone: threads only
    prog += [(_JEQ, 0, 4, 56), arg_low(0), (_JSET, 0, 1, _CLONE_THREAD), allow, deny()]
    # open / openat: read-only
    for number, arg in ((2, 1), (257, 2)):
        prog += [(_JEQ, 0, 4, number), arg_low(arg), (_JSET, 0, 1, _WRITE_FLAGS), deny(), allow]
    # kill / tkill / tgkill: this process only
    for number in (62, 200, 234):
        prog += [(_JEQ, 0, 4, number), arg_low(0), (_JEQ, 0, 1, pid), allow, deny()]
    # prlimit64: read only (no new limit)
    prog += [(_JEQ, 0, 6, 302), arg_low(2), (_JEQ, 0, 3, 0), (_LD_W_ABS, 0, 0, 16 + 8 * 2 + 4),
             (_JEQ, 0, 1, 0), allow, deny()]
    # ioctl: no TIOCSTI (typing into the terminal)
    prog += [(_JEQ, 0, 4, 16), arg_low(1), (_JEQ, 0, 1, _TIOCSTI), deny(), allow]
    prog += [allow]
    return prog


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte),
                ("k", ctypes.c_uint32)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def seccomp_supported() -> bool:
    return platform.system() == "Linux" and platform.machine() in ("x86_64", "AMD64")


def install_seccomp() -> bool:
    """Install the filter in this process; False where unsupported (the rlimits still hold)."""
    if not seccomp_supported():
        return False
    libc = _libc()
    if libc is None:
        return False
    prog = _filter(os.getpid())
    array = (_SockFilter * len(prog))(*[_SockFilter(*ins) for ins in prog])
    fprog = _SockFprog(len(prog), array)
    if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
        return False
    return libc.prctl(22, 2, ctypes.byref(fprog), 0, 0) == 0  # PR_SET_SECCOMP, FILTER
