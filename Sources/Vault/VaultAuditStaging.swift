// The audit log as the vault sees it: events staged for the next commit, the committed
// head in the record `audit/head`, reading, pruning and re-sealing for a rekey
// (docs/FORMAT.md, "Audit log"; the file itself is AuditLog.swift).
import Sodium

extension VaultFile {

  /// The largest audit plaintext a record holds (1 MiB minus nonce and tag).
  public static let maxAuditRecordLength = AuditLog.maxPlaintextLength

  /// Where the audit log of the vault at `vaultPath` lives.
  public static func auditPath(forVault vaultPath: String) -> String { AuditLog.path(vaultPath) }

  /// Stages an audit record (opaque bytes, 1 to `maxAuditRecordLength`; a longer or
  /// empty one makes `commit` throw `.invalid` before anything is written). Like `put`,
  /// nothing reaches the disk before `commit()`, which runs even when no vault record
  /// changed.
  public func appendAudit(_ plaintext: [UInt8]) {
    auditAppends.append(plaintext)
  }

  /// The committed head stored in the vault: the last record's sequence number and tag,
  /// and the log file's length after it. Nil when nothing was ever logged.
  public func auditHead() throws -> (seq: UInt64, tag: [UInt8], end: UInt64)? {
    try committedAuditHead().map { ($0.seq, $0.tag, $0.end) }
  }

  func committedAuditHead() throws -> AuditLog.Head? {
    precondition(!rekeyDropsOld, "the audit head is not readable between rekey and commit")
    if let cached = cachedAuditHead { return cached }
    let id = lookupID(AuditLog.headKey)
    guard let i = try find(id) else {
      cachedAuditHead = .some(nil)
      return nil
    }
    let rec = try openRecord(at: i, offset: try recordOffset(i))
    guard rec.key == AuditLog.headKey else { throw VaultError.corrupt("record key mismatch") }
    let head = try AuditLog.Head.decode(rec.value)
    cachedAuditHead = .some(head)
    return head
  }

  /// Every committed audit record, oldest first, after verifying the whole chain from
  /// the file's anchor to the vault's head; and how many records an interrupted write
  /// left after the head (dropped by the next write). Staged records are not included.
  /// Throws `.auditTampered` naming the first bad record.
  public func auditRecords() throws -> (records: [AuditRecord], uncommitted: Int) {
    precondition(!stale, "vault used after commit")
    let head = try committedAuditHead()
    let key = try subkey(.audit)
    var records: [AuditRecord] = []
    let uncommitted = try withCommittedAuditLog(head) { bytes in
      try AuditLog.verify(bytes, head: head, vaultID: header.vaultID, key: key) { seq, _, _, plain in
        records.append(AuditRecord(seq: seq, plaintext: plain))
        plain = []
      }
    }
    return (records, uncommitted)
  }

  /// The committed part of the audit log file as it is on disk (header and records up
  /// to the head's end; no uncommitted tail), for a backup. Nil when the vault has no
  /// audit head. Checks only that the file ends where the head says; `auditRecords()`
  /// verifies.
  public func committedAuditLog() throws -> [UInt8]? {
    guard let head = try committedAuditHead() else { return nil }
    return try withCommittedAuditLog(head) { bytes in
      guard let bytes = bytes else {
        throw AuditLog.tampered(
          head.anchorSeq + 1, "the log file is missing; the vault's head says \(head.seq) records")
      }
      guard bytes.count >= Int(head.end),
        Array(bytes[(Int(head.end) - AuditLog.tagLength)..<Int(head.end)]) == head.tag
          || head.end == UInt64(AuditLog.headerLength)
      else {
        // Name the damage.
        try AuditLog.verify(bytes, head: head, vaultID: header.vaultID, key: try subkey(.audit)) { _, _, _, p in
          Sodium.wipe(&p)
        }
        throw AuditLog.tampered(head.seq, "the log does not end with the record the vault's head names")
      }
      return Array(bytes[0..<Int(head.end)])
    }
  }

  /// Stages a prune: at commit the log is rewritten to start after record `seq - 1`
  /// (the header's anchor: that record's number and tag, so the kept records still
  /// verify) and `checkpoint` is appended like `appendAudit` (it should say what was
  /// pruned). The kept records are copied as they are. Verifies the committed chain
  /// first, except when nothing is kept (`seq` = head + 1), which reads nothing and so
  /// also starts a new log after a damaged or deleted one. Needs the exclusive lock.
  public func pruneAudit(keepingFrom seq: UInt64, checkpoint: [UInt8]) throws {
    precondition(lock.mode == .exclusive, "pruning the audit log needs the exclusive lock")
    guard !rekeyDropsOld else { throw VaultError.invalid("prune the audit log and rekey in separate commits") }
    try AuditLog.checkPlaintext(checkpoint)
    guard let head = try committedAuditHead(), seq > head.anchorSeq + 1 else {
      auditAppends.append(checkpoint)  // no stored record is older than `seq`
      return
    }
    guard seq <= head.seq + 1 else {
      throw VaultError.invalid("cannot keep the audit log from record \(seq): it ends at record \(head.seq)")
    }
    if seq == head.seq + 1 {
      let end = Int(head.end)
      auditRewrite = AuditLog.Rewrite(
        base: head, anchorSeq: head.seq, anchorTag: head.tag, body: .copy(from: end, to: end))
    } else {
      let key = try subkey(.audit)
      var from = 0
      var anchorTag = AuditLog.zeroTag
      try withCommittedAuditLog(head) { bytes in
        try AuditLog.verify(bytes, head: head, vaultID: header.vaultID, key: key) { s, offset, tag, plain in
          Sodium.wipe(&plain)
          if s == seq - 1 { anchorTag = tag }
          if s == seq { from = offset }
        }
      }
      auditRewrite = AuditLog.Rewrite(
        base: head, anchorSeq: seq - 1, anchorTag: anchorTag, body: .copy(from: from, to: Int(head.end)))
    }
    auditAppends.append(checkpoint)
  }

  /// The file holding the committed log (see `AuditLog.currentPath`), mapped; nil to
  /// `body` when there is none.
  func withCommittedAuditLog<R>(_ head: AuditLog.Head?, _ body: (UnsafeRawBufferPointer?) throws -> R)
    throws -> R
  {
    let p = AuditLog.currentPath(vaultPath: path, head: head, vaultID: header.vaultID)
    let map: MappedFile
    do {
      map = try MappedFile(path: p)
    } catch VaultError.notFound {
      return try body(nil)
    }
    return try withExtendedLifetime(map) { try body(map.bytes) }
  }

  /// Commit step 1 of a plain append (no prune, no rekey): an interrupted rewrite
  /// settled, the staged records sealed after the committed head, and the new head
  /// staged. Nothing is appended yet: the commit writes the sealed bytes through its
  /// journal entry (in place) or before it replaces the vault (VaultCommit.swift).
  func sealAudit() throws -> AuditLog.SealedAppend {
    for p in auditAppends { try AuditLog.checkPlaintext(p) }
    let key = try subkey(.audit)
    let base = try committedAuditHead()
    try AuditLog.settle(vaultPath: path, head: base, vaultID: header.vaultID)
    let sealed = try AuditLog.sealAppend(auditAppends, vaultPath: path, head: base, vaultID: header.vaultID, key: key)
    put(AuditLog.headKey, sealed.head.encode())
    stagedAuditHead = sealed.head
    return sealed
  }

  /// Commit step 1 of a prune or a rekey: the rewritten log put in place as
  /// `.audit.next` (or, for a rekey of a vault without a log, the records appended and
  /// fsynced), and the new head staged. Returns true when `.audit.next` must be
  /// renamed over `.audit` after the vault commit.
  func writeAudit() throws -> Bool {
    for p in auditAppends { try AuditLog.checkPlaintext(p) }
    let key = try subkey(.audit)
    let base: AuditLog.Head?
    if let rw = auditRewrite {
      base = rw.base
    } else if rekeyDropsOld {
      base = nil  // a rekey of a vault with an audit head always stages a rewrite
    } else {
      base = try committedAuditHead()
    }
    try AuditLog.settle(vaultPath: path, head: base, vaultID: header.vaultID)
    let head: AuditLog.Head
    if let rw = auditRewrite {
      head = try AuditLog.write(rw, appending: auditAppends, vaultPath: path, vaultID: header.vaultID, key: key)
    } else {
      head = try AuditLog.append(auditAppends, vaultPath: path, head: base, vaultID: header.vaultID, key: key)
    }
    put(AuditLog.headKey, head.encode())
    stagedAuditHead = head
    return auditRewrite != nil
  }

  /// For a rekey: the committed records (after a staged prune's anchor), verified and
  /// decrypted under the old key, to be sealed again under the new one at commit.
  func auditRewriteForRekey() throws -> AuditLog.Rewrite? {
    guard let head = try committedAuditHead() else { return nil }
    let anchorSeq = auditRewrite?.anchorSeq ?? head.anchorSeq
    let anchorTag = auditRewrite?.anchorTag ?? head.anchorTag
    let key = try subkey(.audit)
    var records: [AuditRecord] = []
    try withCommittedAuditLog(head) { bytes in
      try AuditLog.verify(bytes, head: head, vaultID: header.vaultID, key: key) { seq, _, _, plain in
        if seq > anchorSeq {
          records.append(AuditRecord(seq: seq, plaintext: plain))
          plain = []
        } else {
          Sodium.wipe(&plain)
        }
      }
    }
    return AuditLog.Rewrite(base: head, anchorSeq: anchorSeq, anchorTag: anchorTag, body: .reseal(records))
  }
}
