// Putting a backup back atomically, with a restore intent so that a crash leaves the
// old pair or the new one (docs/FORMAT.md, "Restoring"; RestoreIntent.swift).
import Sodium

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Backup {
  /// The backup's vault and audit log with `event` appended to the log, as a commit of
  /// the vault would append it (a new audit head in the vault, the record in the log),
  /// done on a scratch copy opened with the backup's data key, then given back its own
  /// header (so its own key slots open it) and checked like a backup. So the restore is
  /// recorded in the restored log whatever key opened the backup.
  static func appendingEvent(
    _ event: [UInt8]?, to c: Contents, scratch: () throws -> ScratchDirectory,
    prepare: ((VaultFile) throws -> Void)? = nil
  ) throws -> (vault: [UInt8], audit: [UInt8]) {
    let bytes = c.vaultBytes
    let (header, headerLength) = try bytes.withUnsafeBytes { try VaultHeader.decode($0) }
    guard let layout = IndexLayout(bytes, headerLength: headerLength) else {
      throw VaultError.corrupt("truncated index")
    }
    let indexKey = try Sodium.deriveSubkey(
      from: c.dataKey, id: Subkey.indexMAC.rawValue, context: VaultFormat.kdfContext)
    let dir = try scratch()
    defer { dir.remove() }
    let copy = try openScratchCopy(
      bytes, header: header, layout: layout, dataKey: c.dataKey, indexKey: indexKey, audit: c.auditBytes, in: dir,
      mode: .exclusive)
    try prepare?(copy)
    if let event = event { copy.appendAudit(event) }
    copy.marksCommits = false  // the restored log ends at its head, as a backup's does
    try copy.commit()

    let written = try MappedFile(path: dir.path + "/vault.mfa")
    defer { withExtendedLifetime(written) {} }
    let (_, writtenHeaderLength) = try VaultHeader.decode(written.bytes)
    guard let w = IndexLayout(written.bytes, headerLength: writtenHeaderLength) else {
      throw VaultError.corrupt("truncated index")
    }
    let prefix = IndexLayout.build(
      headerAndChecksum: Array(bytes[0..<(headerLength + 32)]),
      entries: Array(written.bytes[w.entriesStart..<w.pageTableStart]), key: indexKey)
    let vault = prefix + Array(written.bytes[w.recordsStart...])
    var audit: [UInt8] = []
    if let auditMap = try? MappedFile(path: dir.path + "/vault.mfa.audit") {
      audit = withExtendedLifetime(auditMap) { Array(auditMap.bytes) }
    }
    _ = try checkVault(vault, dataKey: c.dataKey, expecting: header, audit: audit, scratch: scratch, inspect: nil)
    return (vault, audit)
  }

  // MARK: Restoring

  /// The vault a restore found at its path.
  public enum PriorState: Equatable {
    case missing
    /// It does not parse or authenticate; the reason.
    case corrupt(String)
    /// It opened with the key given and every record decrypted.
    case opens
    /// Sound as far as can be told without its key (the key given does not open it),
    /// or of a newer format; the reason.
    case notChecked(String)
  }

  public struct Restored {
    public let vaultPath: String
    public let prior: PriorState
    /// Where the replaced vault, audit log, pending journal and pending rewritten audit
    /// log were kept (nil: there was none).
    public let replacedVault: String?
    public let replacedAudit: String?
    public let replacedJournal: String?
    public let replacedAuditNext: String?

    init(
      vaultPath: String, prior: PriorState, replacedVault: String? = nil, replacedAudit: String? = nil,
      replacedJournal: String? = nil, replacedAuditNext: String? = nil
    ) {
      self.vaultPath = vaultPath
      self.prior = prior
      self.replacedVault = replacedVault
      self.replacedAudit = replacedAudit
      self.replacedJournal = replacedJournal
      self.replacedAuditNext = replacedAuditNext
    }
  }

  /// Puts a verified backup back at `vaultPath`, holding the vault's exclusive lock:
  ///
  /// 1. finishes an earlier restore that was committed but not finished (see
  ///    RestoreIntent.swift), then looks at the vault there (a scratch copy of it and its
  ///    journal, opened with `key`): when it opens, or cannot be shown to be broken, and
  ///    `force` is false, stops with nothing changed (`.vaultStillOpens`, `.vaultNotChecked`);
  /// 2. on a scratch copy of the backup's vault and log opened with the backup's data
  ///    key: `prepare` (given that copy and, when it opened, the replaced vault's scratch
  ///    copy, to raise replay floors from it), then `auditEvent` (the domain's encoding
  ///    of `backup.restored`) appended as a commit would, so the restore is recorded
  ///    whichever key opened the backup;
  /// 3. writes the restored vault and audit log as `<vault>.restore-vault` and
  ///    `<vault>.restore-audit` and fsyncs them (a full disk fails here, with nothing
  ///    changed);
  /// 4. commits: writes the intent `<vault>.restore` (temp file, fsync, rename, directory
  ///    fsync);
  /// 5. finishes: keeps the current vault and audit log as `<vault>.replaced-<UTC time>`
  ///    and `<vault>.audit.replaced-<UTC time>` (hard links), moves a journal with content
  ///    and a pending rewritten log aside the same way (both belong to the replaced
  ///    vault), renames the new vault and log into place, removes the intent.
  ///
  /// A crash before step 4 leaves the old pair (the staged files are removed by the next
  /// writer); a crash after it leaves the intent, and the next command that opens the
  /// vault finishes step 5 before reading anything: never a mix of the two pairs.
  /// Scratch copies live beside the vault (`<vault>.tmp-<pid>-*`), where the next
  /// writer removes them if this process is killed; `scratchBase` puts them elsewhere.
  public static func restore(
    _ contents: Contents, to vaultPath: String, key: UnlockKey, force: Bool, now: Int64, lockTimeout: Double,
    auditEvent: [UInt8]? = nil, scratchBase: String? = nil,
    prepare: ((_ restored: VaultFile, _ replaced: VaultFile?) throws -> Void)? = nil
  ) throws -> Restored {
    let real = FileIO.resolvingSymlink(vaultPath)
    try FileIO.makeDirectories(FileIO.directory(of: real))
    let lock = try VaultLock(vaultPath: real, mode: .exclusive, timeout: lockTimeout)
    defer { lock.release() }
    try RestoreIntent.finish(vaultPath: real)
    FileIO.removeStaleTempFiles(for: real)
    let scratch = { () throws -> ScratchDirectory in
      if let base = scratchBase { return try ScratchDirectory(base: base) }
      return try ScratchDirectory(beside: real)
    }

    var replacedCopy: (dir: ScratchDirectory, vault: VaultFile)? = nil
    defer {
      if let r = replacedCopy {
        r.vault.close()
        r.dir.remove()
      }
    }
    let prior = try priorState(real, key: key, lockTimeout: lockTimeout, scratch: scratch, keepOpen: &replacedCopy)
    if !force {
      switch prior {
      case .opens: throw BackupError.vaultStillOpens(real)
      case .notChecked(let why): throw BackupError.vaultNotChecked(path: real, reason: why)
      case .missing, .corrupt: break
      }
    }

    let auditPath = VaultFile.auditPath(forVault: real)
    let nextPath = AuditLog.nextPath(real)
    let journalPath = Journal.path(real)
    let stamp = compactUTC(now)
    var suffix = ".replaced-" + stamp
    var n = 1
    while [real, auditPath, nextPath, journalPath].contains(where: { FileIO.exists($0 + suffix) }) {
      n += 1
      suffix = ".replaced-\(stamp)-\(n)"
    }

    var (vaultBytes, auditBytes) = (contents.vaultBytes, contents.auditBytes)
    if auditEvent != nil || prepare != nil {
      (vaultBytes, auditBytes) = try appendingEvent(
        auditEvent, to: contents, scratch: scratch,
        prepare: prepare.map { p in { restored in try p(restored, replacedCopy?.vault) } })
    }
    if let r = replacedCopy {
      r.vault.close()
      r.dir.remove()
      replacedCopy = nil
    }

    // Everything that can fail for want of space happens before anything changes.
    let stagedVault = RestoreIntent.stagedVault(real)
    let stagedAudit = RestoreIntent.stagedAudit(real)
    var committed = false
    defer {
      if !committed {
        Syscalls.unlink(stagedVault)
        Syscalls.unlink(stagedAudit)
      }
    }
    try stageFile(stagedVault, vaultBytes)
    if !auditBytes.isEmpty { try stageFile(stagedAudit, auditBytes) }
    try FileIO.syncDirectory(of: real)

    try RestoreIntent.commit(RestoreIntent.Record(hasAudit: !auditBytes.isEmpty, suffix: suffix), vaultPath: real)
    committed = true
    let kept = try RestoreIntent.finish(vaultPath: real)
    return Restored(
      vaultPath: real, prior: prior, replacedVault: kept.vault, replacedAudit: kept.audit,
      replacedJournal: kept.journal, replacedAuditNext: kept.auditNext)
  }

  /// What is at the vault path, judged on a scratch copy (the caller holds the vault's
  /// exclusive lock, so opening the vault itself would wait for ever). The journal is
  /// copied too, so a pending in-place write is rolled forward on the copy as an open
  /// would, instead of making a sound vault look corrupt. When it opens, the copy is
  /// left open in `keepOpen` (the replaced vault, to raise replay floors from).
  static func priorState(
    _ real: String, key: UnlockKey, lockTimeout: Double, scratch: () throws -> ScratchDirectory,
    keepOpen: inout (dir: ScratchDirectory, vault: VaultFile)?
  ) throws -> PriorState {
    guard FileIO.exists(real) else { return .missing }
    let map = try MappedFile(path: real)
    let dir = try scratch()
    var kept = false
    defer { if !kept { dir.remove() } }
    try withExtendedLifetime(map) { try dir.write("vault.mfa", [], map.bytes) }
    if Journal.hasContent(vaultPath: real),
      let j = try? FileIO.readSmallFile(Journal.path(real), limit: Journal.maxLength)
    {
      try dir.write("vault.mfa.journal", j, [])
    }
    do {
      let vault = try VaultFile(path: dir.path + "/vault.mfa", key: key, mode: .shared, lockTimeout: lockTimeout)
      var all = try vault.records(withPrefix: "")
      for i in all.indices { Sodium.wipe(&all[i].value) }
      keepOpen = (dir, vault)
      kept = true
      return .opens
    } catch let e as VaultError {
      switch e {
      case .corrupt(let why): return .corrupt(why)
      case .unsupportedVersion(let v): return .notChecked("its format version \(v) is newer than this mfactl reads")
      case .unlockFailed: return .notChecked("the key given opens the backup but not this vault")
      default: throw e
      }
    } catch let e as DecodeError {
      return .corrupt(e.reason)
    }
  }

  // MARK: Helpers

  /// Writes a new file (O_EXCL, 0600) and fsyncs it; removes it again on failure.
  static func stageFile(_ path: String, _ bytes: [UInt8]) throws {
    let fd = Syscalls.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw VaultError.io(FileIO.errnoText("cannot create", path)) }
    do {
      try bytes.withUnsafeBytes { try FileIO.writeAll(fd, $0, path: path) }
      guard Syscalls.fsync(fd) == 0 else { throw VaultError.io(FileIO.errnoText("cannot sync", path)) }
      Syscalls.close(fd)
    } catch {
      Syscalls.close(fd)
      Syscalls.unlink(path)
      throw error
    }
  }
}
