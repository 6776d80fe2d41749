// The vault lock: flock(2) on `<vault>.lock`, so other tools can take the same lock
// (`flock vault.mfa.lock cp vault.mfa backup`). Readers share it; a read-modify-write
// holds it exclusively from before the read until after the rename.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

public final class VaultLock {
  public enum Mode { case shared, exclusive }

  public let path: String
  public let mode: Mode
  private var fd: Int32

  /// Waits up to `timeout` seconds (polling with a growing back-off), then throws
  /// `.busy`. The lock file is created 0600 when missing and never removed: removing it
  /// would let two processes lock two different inodes.
  public init(vaultPath: String, mode: Mode, timeout: Double) throws {
    path = vaultPath + ".lock"
    self.mode = mode
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    if fd < 0 && (errno == EACCES || errno == EROFS) && mode == .shared {
      // A read-only directory or lock file: a shared lock works on a read-only descriptor.
      fd = open(path, O_RDONLY | O_CLOEXEC)
    }
    guard fd >= 0 else {
      throw VaultError.io(FileIO.errnoText("cannot open lock file", path))
    }
    do {
      try acquire(mode == .shared ? LOCK_SH : LOCK_EX, timeout: timeout)
    } catch {
      close(fd)
      fd = -1
      throw error
    }
  }

  /// The timeout from `$MFACTL_LOCK_TIMEOUT` (seconds, default 10).
  public static func timeoutFromEnvironment() -> Double {
    guard let s = getenv("MFACTL_LOCK_TIMEOUT"), let v = Double(String(cString: s)), v >= 0, v.isFinite else {
      return 10
    }
    return v
  }

  /// Runs `body` holding the lock exclusively, returning to a shared lock afterwards
  /// when that is what was held. (flock converts in place; the conversion is not atomic,
  /// so `body` must re-check whatever it read before.)
  func withExclusive(timeout: Double, _ body: () throws -> Void) throws {
    if mode == .exclusive { return try body() }
    try acquire(LOCK_EX, timeout: timeout)
    defer { _ = try? acquire(LOCK_SH, timeout: timeout) }
    try body()
  }

  private func acquire(_ kind: Int32, timeout: Double) throws {
    var waited = 0.0
    var pause = 0.001
    while flock(fd, kind | LOCK_NB) != 0 {
      let err = errno
      if err == EINTR { continue }
      guard err == EWOULDBLOCK else { throw VaultError.io(FileIO.errnoText("cannot lock", path, err)) }
      if waited >= timeout { throw VaultError.busy(path, seconds: timeout) }
      let step = min(pause, max(timeout - waited, 0.0005))
      usleep(useconds_t(step * 1_000_000))
      waited += step
      pause = min(pause * 2, 0.05)
    }
  }

  public func release() {
    if fd >= 0 {
      close(fd)  // closing the descriptor drops the flock
      fd = -1
    }
  }

  deinit { release() }
}
