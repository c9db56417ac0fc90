"""Helpers shared by the packaging/measure-*.py scripts."""
import os, socket


def free_port():
    """A UDP port on 127.0.0.1 that was free a moment ago."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def package_launcher(work, name, pkg_root):
    """A copy of an extracted package's /usr/sbin/jchronyd with /usr/lib/jchrony pointing into it."""
    path = os.path.join(work, name)
    with open(os.path.join(pkg_root, "usr/sbin/jchronyd")) as f:
        text = f.read().replace("/usr/lib/jchrony", os.path.join(pkg_root, "usr/lib/jchrony"))
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o755)
    return path
