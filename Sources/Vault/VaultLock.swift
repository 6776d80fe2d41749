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
    fd = Syscalls.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    if fd < 0 && (errno == EACCES || errno == EROFS) && mode == .shared {
      // A read-only directory or lock file: a shared lock works on a read-only descriptor.
      fd = Syscalls.open(path, O_RDONLY | O_CLOEXEC)
    }
    guard fd >= 0 else {
      throw VaultError.io(FileIO.errnoText("cannot open lock file", path))
    }
    do {
      try acquire(mode == .shared ? LOCK_SH : LOCK_EX, timeout: timeout)
    } catch {
      Syscalls.close(fd)
      fd = -1
      throw error
    }
  }

  /// The timeout from `$MFACTL_LOCK_TIMEOUT` (seconds, default 10).
  public static func timeoutFromEnvironment() -> Double {
    guard let s = getenv("MFACTL_LOCK_TIMEOUT"), let v = Double(String(cString: s)), v >= 0, v.isFinite else {
      return 10
    }
    return min(v, 86_400)  // a day: longer is a mistake, and keeps the arithmetic finite
  }

  /// Runs `body` holding the lock exclusively, returning to a shared lock afterwards
  /// when that is what was held. (flock converts in place; the conversion is not atomic,
  /// so `body` must re-check whatever it read before.)
  func withExclusive(timeout: Double, _ body: () throws -> Void) throws {
    if mode == .exclusive { return try body() }
    try acquire(LOCK_EX, timeout: timeout)
    // Back to shared at once: this process holds the lock exclusively, so nobody can be
    // in the way, and waiting for a writer here would keep that writer out.
    defer { _ = try? acquire(LOCK_SH, timeout: timeout, yieldToWriters: false) }
    try body()
  }

  // Writers first. flock(2) has no queue: a steady stream of readers, each taking the
  // shared lock before the last one drops it, would keep a writer out forever. So a
  // writer that has to wait announces it with an open-file-description record lock
  // (fcntl F_OFD_SETLK, a read lock on byte 0 of the same lock file: writers' marks do
  // not conflict with each other), and a reader that sees such a mark (F_OFD_GETLK)
  // waits before it takes its shared lock. Readers already inside finish, the writer
  // gets in, and it drops the mark. Record locks and flock locks do not interact on
  // Linux, so the flock protocol other tools see is unchanged; the mark goes away with
  // the descriptor if the writer dies.
  static let ofdGetLock: Int32 = 36  // F_OFD_GETLK
  static let ofdSetLock: Int32 = 37  // F_OFD_SETLK

  private func markRecord(_ type: Int32) -> Glibc.flock {
    var fl = Glibc.flock()
    fl.l_type = Int16(type)
    fl.l_whence = Int16(SEEK_SET)
    fl.l_start = 0
    fl.l_len = 1
    fl.l_pid = 0
    return fl
  }

  /// Announces (or withdraws) a waiting writer. Best effort: without the mark the lock
  /// still works, only without writer priority.
  private func setWriterWaiting(_ waiting: Bool) {
    var fl = markRecord(waiting ? Int32(F_RDLCK) : Int32(F_UNLCK))
    _ = Syscalls.fcntl(fd, Self.ofdSetLock, &fl)
  }

  /// Whether another process has announced a waiting writer.
  private func writerWaiting() -> Bool {
    var fl = markRecord(Int32(F_WRLCK))
    guard Syscalls.fcntl(fd, Self.ofdGetLock, &fl) == 0 else { return false }
    return fl.l_type != Int16(F_UNLCK)
  }

  private func acquire(_ kind: Int32, timeout: Double, yieldToWriters: Bool = true) throws {
    var waited = 0.0
    var pause = 0.001
    var announced = false
    defer { if announced { setWriterWaiting(false) } }
    while true {
      if kind == LOCK_SH && yieldToWriters && writerWaiting() {
        // Let the waiting writer in first.
      } else if Syscalls.flock(fd, kind | LOCK_NB) == 0 {
        return
      } else {
        let err = errno
        if err == EINTR { continue }
        guard err == EWOULDBLOCK else { throw VaultError.io(FileIO.errnoText("cannot lock", path, err)) }
        if kind == LOCK_EX && !announced {
          setWriterWaiting(true)
          announced = true
        }
      }
      if waited >= timeout { throw VaultError.busy(path, seconds: timeout) }
      let step = min(pause, max(timeout - waited, 0.0005))
      usleep(useconds_t(step * 1_000_000))
      waited += step
      pause = min(pause * 2, 0.05)
    }
  }

  public func release() {
    if fd >= 0 {
      Syscalls.close(fd)  // closing the descriptor drops the flock
      fd = -1
    }
  }

  deinit { release() }
}
