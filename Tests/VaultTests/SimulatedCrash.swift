import Foundation
import XCTest

@testable import Vault

#if canImport(Glibc)
  import Glibc
#endif

/// A crash of this process at a chosen system call, as the disk sees it, injected
/// through the vault's one seam (`SyscallTable.current`, Sources/Vault/Syscalls.swift):
/// from the first call `point` picks on, every call that would change a file (create,
/// write, truncate, fsync, rename, link, unlink, mkdir, rmdir) fails with EIO and
/// changes nothing, so whatever the code does next, clean-ups included, the files stay
/// as the crash left them. Reads, locks and closes go on. The page cache counts as the
/// disk (as after a kill -9, not a power cut).
struct SimulatedCrash {
  enum Op: Equatable { case create, write, fsync, truncate, rename, link, unlink, mkdir, rmdir }

  /// A call that would change the disk: the file (for a descriptor, the path it was
  /// opened with) and, for rename and link, the target.
  struct Call {
    var op: Op
    var path: String
    var to: String? = nil
  }

  /// Runs `body` with the crash armed at the first call for which `point` (given the
  /// call and every changing call before it) is true; errors after the crash are
  /// what the crash interrupted, and are dropped. Fails the test when the point was
  /// never reached, so a crash test cannot pass without crashing.
  static func run(
    at point: @escaping (_ call: Call, _ before: [Call]) -> Bool, file: StaticString = #filePath, line: UInt = #line,
    _ body: () throws -> Void
  ) throws {
    _ = try inject(State(point: point), file: file, line: line, body)
  }

  /// Every call that would change the disk while `body` runs (nothing fails): the
  /// sequence a crash test walks, crashing at each call in turn.
  static func calls(_ body: () throws -> Void) rethrows -> [Call] {
    let state = State(point: { _, _ in false })
    let saved = SyscallTable.current
    SyscallTable.current = state.table(over: saved)
    defer { SyscallTable.current = saved }
    try body()
    return state.history
  }

  /// Runs `body` with every call that `fault` picks failing with `code` (ENOSPC, EIO...)
  /// and changing nothing, and every other call going ahead: a disk error, not a crash.
  /// Returns what `body` threw (nil: nothing). Fails the test when no call was picked.
  @discardableResult
  static func failing(
    with code: Int32, at fault: @escaping (_ call: Call) -> Bool, file: StaticString = #filePath,
    line: UInt = #line, _ body: () throws -> Void
  ) throws -> Error? {
    try inject(State(point: { call, _ in fault(call) }, failOnly: code), file: file, line: line, body)
  }

  /// What `body` threw after the fault (an error before it is rethrown).
  private static func inject(_ state: State, file: StaticString, line: UInt, _ body: () throws -> Void) throws
    -> Error?
  {
    let saved = SyscallTable.current
    SyscallTable.current = state.table(over: saved)
    defer { SyscallTable.current = saved }
    var thrown: Error? = nil
    do {
      try body()
    } catch {
      if !state.triggered { throw error }
      thrown = error
    }
    if !state.triggered { XCTFail("the simulated fault was never injected", file: file, line: line) }
    return thrown
  }

  private final class State {
    let point: (Call, [Call]) -> Bool
    var history: [Call] = []
    var triggered = false
    var paths: [Int32: String] = [:]
    /// Only the picked calls fail, with this errno; nil: a crash.
    let failOnly: Int32?

    init(point: @escaping (Call, [Call]) -> Bool, failOnly: Int32? = nil) {
      self.point = point
      self.failOnly = failOnly
    }

    /// Whether `call` may go ahead: false (errno EIO) from the crash on.
    func allows(_ call: Call) -> Bool {
      if let code = failOnly {
        guard point(call, history) else {
          history.append(call)
          return true
        }
        triggered = true
        errno = code
        return false
      }
      if !triggered && point(call, history) { triggered = true }
      if triggered {
        errno = EIO
        return false
      }
      history.append(call)
      return true
    }

    func path(_ fd: Int32) -> String { paths[fd] ?? "fd \(fd)" }

    func table(over real: SyscallTable) -> SyscallTable {
      var t = real
      t.open = { [unowned self] path, flags, mode in
        if flags & (O_CREAT | O_TRUNC) != 0 && !self.allows(Call(op: .create, path: path)) { return -1 }
        let fd = real.open(path, flags, mode)
        if fd >= 0 { self.paths[fd] = path }
        return fd
      }
      t.close = { [unowned self] fd in
        self.paths[fd] = nil
        return real.close(fd)
      }
      t.write = { [unowned self] fd, b, n in
        self.allows(Call(op: .write, path: self.path(fd))) ? real.write(fd, b, n) : -1
      }
      t.pwrite = { [unowned self] fd, b, n, o in
        self.allows(Call(op: .write, path: self.path(fd))) ? real.pwrite(fd, b, n, o) : -1
      }
      t.sendfile = { [unowned self] out, i, o, n in
        self.allows(Call(op: .write, path: self.path(out))) ? real.sendfile(out, i, o, n) : -1
      }
      t.fsync = { [unowned self] fd in self.allows(Call(op: .fsync, path: self.path(fd))) ? real.fsync(fd) : -1 }
      t.ftruncate = { [unowned self] fd, n in
        self.allows(Call(op: .truncate, path: self.path(fd))) ? real.ftruncate(fd, n) : -1
      }
      t.truncate = { [unowned self] p, n in self.allows(Call(op: .truncate, path: p)) ? real.truncate(p, n) : -1 }
      t.rename = { [unowned self] a, b in self.allows(Call(op: .rename, path: a, to: b)) ? real.rename(a, b) : -1 }
      t.link = { [unowned self] a, b in self.allows(Call(op: .link, path: a, to: b)) ? real.link(a, b) : -1 }
      t.unlink = { [unowned self] p in self.allows(Call(op: .unlink, path: p)) ? real.unlink(p) : -1 }
      t.mkdir = { [unowned self] p, m in self.allows(Call(op: .mkdir, path: p)) ? real.mkdir(p, m) : -1 }
      t.rmdir = { [unowned self] p in self.allows(Call(op: .rmdir, path: p)) ? real.rmdir(p) : -1 }
      return t
    }
  }
}

/// Where a crash stops a commit (docs/FORMAT.md, "Writing in place", "Audit log").
enum CommitCrash {
  /// A write in place: nothing is written yet (the crash is at the journal entry's
  /// first write).
  case beforeJournalEntry
  /// The journal is written and fsynced; the vault is not touched yet.
  case journalWritten
  /// The first patch of an in-place write is in the vault, the rest not.
  case partiallyApplied
  /// The audit records are appended and fsynced (or the rewritten log is in place as
  /// `.audit.next`); the vault is not written yet.
  case afterAuditWrite
  /// The vault is written; a rewritten log is not renamed over `.audit` yet.
  case beforeFinalRename
  /// The vault is written; the commit mark is not.
  case beforeMark

  func happens(at call: SimulatedCrash.Call, after before: [SimulatedCrash.Call], vault: String) -> Bool {
    let audit = AuditLog.path(vault)
    let next = AuditLog.nextPath(vault)
    let vaultWritten = before.contains { ($0.op == .write && $0.path == vault) || ($0.op == .rename && $0.to == vault) }
    switch self {
    case .beforeJournalEntry:
      return call.op == .write && call.path == Journal.path(vault)
    case .journalWritten:
      return call.op == .write && call.path == vault
    case .partiallyApplied:
      return call.op == .write && call.path == vault && before.contains { $0.op == .write && $0.path == vault }
    case .afterAuditWrite:
      let auditDone = before.contains {
        ($0.op == .fsync && $0.path.hasPrefix(audit)) || ($0.op == .rename && $0.to == next)
      }
      return auditDone && (call.path == Journal.path(vault) || call.path.hasPrefix(vault + ".tmp-"))
    case .beforeFinalRename:
      return call.op == .rename && call.path == next && call.to == audit
    case .beforeMark:
      return vaultWritten && call.op == .write && call.path.hasPrefix(audit)
    }
  }
}

/// Where a crash stops a restore (docs/FORMAT.md, "Restoring").
enum RestoreCrash: CaseIterable {
  /// The new files are written and fsynced; no intent yet (the old pair stays).
  case afterStaging
  /// The intent is durable; nothing renamed yet.
  case afterIntent
  /// The replaced files are kept under their `.replaced-T` names.
  case afterKeeping
  /// The new vault is in place; the log is the old one.
  case afterVaultRename
  /// Both are in place; the intent is still there.
  case afterAuditRename

  func happens(at call: SimulatedCrash.Call, after before: [SimulatedCrash.Call], vault: String) -> Bool {
    let intent = RestoreIntent.path(vault)
    let staged = RestoreIntent.stagedVault(vault)
    switch self {
    case .afterStaging:
      return before.contains { $0.op == .create && $0.path == staged } && call.op == .create
        && call.path.hasPrefix(vault + ".tmp-")
    case .afterIntent:
      return before.contains { $0.op == .rename && $0.to == intent } && [.link, .rename, .unlink].contains(call.op)
        && !call.path.contains(".tmp-")
    case .afterKeeping:
      return call.op == .rename && call.path == staged && call.to == vault
    case .afterVaultRename:
      return before.contains { $0.op == .rename && $0.path == staged && $0.to == vault }
        && ((call.op == .rename && call.path == RestoreIntent.stagedAudit(vault))
          || (call.op == .unlink && call.path == AuditLog.path(vault)))
    case .afterAuditRename:
      return call.op == .unlink && call.path == intent
    }
  }
}

extension VaultFile {
  /// `commit()` as a crash at `point` leaves it.
  func commit(crashingAt point: CommitCrash, file: StaticString = #filePath, line: UInt = #line) throws {
    let vault = path
    try SimulatedCrash.run(at: { point.happens(at: $0, after: $1, vault: vault) }, file: file, line: line) {
      try commit()
    }
  }
}

extension RestoreCrash {
  /// Runs `body`, a restore to `vault`, as a crash at this point leaves it.
  func run(vault: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) throws {
    try SimulatedCrash.run(at: { self.happens(at: $0, after: $1, vault: vault) }, file: file, line: line, body)
  }
}

/// A power cut, as the disk keeps it: each file's content as of its last fsync, and a
/// directory's entries (which name holds which file) as of its last fsync; everything
/// written since is dropped, truncations and renames included. Installed over the
/// vault's system-call seam (Syscalls.swift), it watches the fsyncs of the files of one
/// directory; `cut()` then puts that directory back to what would survive. What was on
/// disk when it was installed counts as durable. Lock files are left alone (they hold
/// no data). Pair it with `SimulatedCrash.run`, installed first, so that the crash stops
/// the process and the cut then drops what it had not synced.
final class PowerCutModel {
  let dir: String
  /// Inode -> content as of its last fsync.
  private var data: [UInt64: [UInt8]] = [:]
  /// Name -> inode, as of the directory's last fsync.
  private var names: [String: UInt64] = [:]
  private var saved: SyscallTable? = nil
  /// How many fsyncs it saw (of files and of the directory).
  private(set) var syncs = 0

  init(dir: String) {
    self.dir = dir
    names = listing()
    for (name, ino) in names { data[ino] = Self.read(dir + "/" + name) }
  }

  private static func read(_ p: String) -> [UInt8] { FileManager.default.contents(atPath: p).map { Array($0) } ?? [] }

  private func listing() -> [String: UInt64] {
    var out: [String: UInt64] = [:]
    for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where !name.hasSuffix(".lock") {
      var st = stat()
      if lstat(dir + "/" + name, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG { out[name] = UInt64(st.st_ino) }
    }
    return out
  }

  /// Starts watching (over the table in use).
  func install() {
    let real = SyscallTable.current
    saved = real
    var t = real
    t.fsync = { [unowned self] fd in
      let r = real.fsync(fd)
      if r == 0 { self.synced(fd) }
      return r
    }
    SyscallTable.current = t
  }

  func uninstall() {
    if let s = saved { SyscallTable.current = s }
    saved = nil
  }

  private func synced(_ fd: Int32) {
    var st = stat()
    guard fstat(fd, &st) == 0 else { return }
    syncs += 1
    if (st.st_mode & S_IFMT) == S_IFDIR {
      names = listing()
    } else {
      data[UInt64(st.st_ino)] = Self.read("/proc/self/fd/\(fd)")
    }
  }

  /// The power goes: the directory holds the durable names, each with its file's
  /// durable content (empty when its data was never synced).
  func cut() throws {
    uninstall()
    for name in try FileManager.default.contentsOfDirectory(atPath: dir) where !name.hasSuffix(".lock") {
      try FileManager.default.removeItem(atPath: dir + "/" + name)
    }
    for (name, ino) in names {
      try Data(data[ino] ?? []).write(to: URL(fileURLWithPath: dir + "/" + name))
    }
  }
}
