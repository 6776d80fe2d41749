// A PostgreSQL vault's audit log, key slots and commit (see PostgresVault.swift).
//
// The audit rows are the file's records (length || seq || sealed, chained through the
// associated data), and the head is the record `audit/head` with the file's layout:
// `end` is the length the log would have as a file (header and the rows after the
// anchor). So `audit verify` runs `AuditLog.verify` over the rows laid end to end behind
// a header, and a backup's log is those same bytes.
import Sodium

extension PostgresVault {
  // MARK: Audit log

  public func appendAudit(_ plaintext: [UInt8]) { auditAppends.append(plaintext) }

  public func auditHead() throws -> (seq: UInt64, tag: [UInt8], end: UInt64)? {
    try committedAuditHead().map { ($0.seq, $0.tag, $0.end) }
  }

  func committedAuditHead() throws -> AuditLog.Head? {
    if let cached = cachedAuditHead { return cached }
    let id = lookupID(AuditLog.headKey)
    let rows = try conn.execute(
      "SELECT sealed FROM \(Self.schema).records WHERE id = $1" + (isWritable ? " FOR UPDATE" : ""), [.bytes(id)])
    var head: AuditLog.Head? = nil
    if rows.count == 1 {
      let rec = try openRow(id: id, sealed: rows.bytes(0, 0))
      guard rec.key == AuditLog.headKey else { throw VaultError.corrupt("record key mismatch") }
      head = try AuditLog.Head.decode(rec.value)
    }
    cachedAuditHead = .some(head)
    return head
  }

  /// The committed log as the file would hold it: a header naming the head's anchor, then
  /// every row after the anchor in order (and any after the head, which `verify` counts).
  func auditLogBytes(_ head: AuditLog.Head?) throws -> [UInt8]? {
    let anchorSeq = head?.anchorSeq ?? 0
    let rows = try conn.execute(
      "SELECT record FROM \(Self.schema).audit WHERE seq > $1 ORDER BY seq", [.int(Int64(bitPattern: anchorSeq))])
    if head == nil && rows.count == 0 { return nil }
    var bytes = AuditLog.header(
      vaultID: header.vaultID, anchorSeq: anchorSeq, anchorTag: head?.anchorTag ?? AuditLog.zeroTag)
    for r in 0..<rows.count { bytes += rows.bytes(r, 0) }
    return bytes
  }

  public func auditRecords() throws -> (records: [AuditRecord], uncommitted: Int) {
    let head = try committedAuditHead()
    let key = try subkey(.audit)
    var records: [AuditRecord] = []
    let log = try auditLogBytes(head)
    let uncommitted = try log.withUnsafeBufferOrNil { bytes in
      try AuditLog.verify(bytes, head: head, vaultID: header.vaultID, key: key) { seq, _, _, plain in
        records.append(AuditRecord(seq: seq, plaintext: plain))
        plain = []
      }
    }
    return (records, uncommitted)
  }

  /// The committed log as a file's bytes, for a backup; nil without an audit head.
  public func committedAuditLog() throws -> [UInt8]? {
    guard let head = try committedAuditHead() else { return nil }
    guard let log = try auditLogBytes(head), log.count >= Int(head.end) else {
      throw AuditLog.tampered(head.seq, "the log does not reach the record the vault's head names")
    }
    return Array(log[0..<Int(head.end)])
  }

  /// Stages dropping the rows before `seq` (see VaultFile.pruneAudit).
  public func pruneAudit(keepingFrom seq: UInt64, checkpoint: [UInt8]) throws {
    precondition(isWritable, "pruning the audit log needs the exclusive lock")
    guard rekeyed == nil else { throw VaultError.invalid("prune the audit log and rekey in separate commits") }
    try AuditLog.checkPlaintext(checkpoint)
    guard let head = try committedAuditHead(), seq > head.anchorSeq + 1 else {
      auditAppends.append(checkpoint)
      return
    }
    guard seq <= head.seq + 1 else {
      throw VaultError.invalid("cannot keep the audit log from record \(seq): it ends at record \(head.seq)")
    }
    var anchorTag = head.seq + 1 == seq ? head.tag : AuditLog.zeroTag
    var kept: UInt64 = 0
    if seq <= head.seq {
      let key = try subkey(.audit)
      let log = try auditLogBytes(head)
      try log.withUnsafeBufferOrNil { bytes in
        try AuditLog.verify(bytes, head: head, vaultID: header.vaultID, key: key) { s, offset, tag, plain in
          Sodium.wipe(&plain)
          if s == seq - 1 { anchorTag = tag }
          if s == seq { kept = head.end - UInt64(offset) }
        }
      }
    }
    prune = (seq, anchorTag, kept)
    auditAppends.append(checkpoint)
  }

  /// The new head and the rows to insert for the staged events, chained after `base`.
  func sealAppends(after base: AuditLog.Head?) throws -> (head: AuditLog.Head, rows: [(UInt64, [UInt8])]) {
    for p in auditAppends { try AuditLog.checkPlaintext(p) }
    let key = try subkey(.audit)
    var head =
      base
      ?? AuditLog.Head(
        seq: 0, tag: AuditLog.zeroTag, end: UInt64(AuditLog.headerLength), anchorSeq: 0, anchorTag: AuditLog.zeroTag)
    if let p = prune {
      head.anchorSeq = p.keepFrom - 1
      head.anchorTag = p.anchorTag
      head.end = UInt64(AuditLog.headerLength) + p.keptBytes
      if p.keptBytes == 0 {
        head.seq = head.anchorSeq
        head.tag = head.anchorTag
      }
    }
    var rows: [(UInt64, [UInt8])] = []
    for p in auditAppends {
      let seq = head.seq + 1
      let record = AuditLog.sealRecord(p, seq: seq, prevTag: head.tag, vaultID: header.vaultID, key: key)
      head.seq = seq
      head.tag = Array(record.suffix(AuditLog.tagLength))
      head.end += UInt64(record.count)
      rows.append((seq, record))
    }
    return (head, rows)
  }

  // MARK: Key slots (the header row)

  public func addSlot(_ key: UnlockKey, limits: Sodium.PwhashLimits) throws {
    header.slots = try SlotCrypto.addingSlot(for: key, limits: limits, to: header, dataKey: dataKey)
    headerChanged = true
  }

  public func setPassphrase(_ passphrase: SecureBytes, limits: Sodium.PwhashLimits) throws {
    header.slots = try SlotCrypto.settingPassphrase(passphrase, limits: limits, in: header, dataKey: dataKey)
    headerChanged = true
  }

  @discardableResult
  public func removeKeyFileSlot(_ keyFile: SecureBytes?) throws -> KeySlot {
    let (removed, slots) = try SlotCrypto.removingKeyFileSlot(keyFile, from: header)
    header.slots = slots
    headerChanged = true
    return removed
  }

  /// A new data key: every row sealed again (records under new lookup ids, audit rows
  /// chained again from the anchor), wrapped for each of `keys`.
  public func rekey(keys: [UnlockKey], limits: [SlotKind: Sodium.PwhashLimits]) throws {
    precondition(!keys.isEmpty)
    precondition(rekeyed == nil, "rekey twice before a commit")
    guard prune == nil else { throw VaultError.invalid("prune the audit log and rekey in separate commits") }
    let all = try records(withPrefix: "")
    let head = try committedAuditHead()
    let audit = try auditRecords().records
    let hashing = try loadHashingKeys()
    let newKey = try SecureBytes.random(count: 32)
    let slots = try SlotCrypto.slots(for: keys, dataKey: newKey, vaultID: header.vaultID, limits: limits)
    dataKey = newKey
    recordKey = try Sodium.deriveSubkey(
      from: newKey, id: Subkey.recordEncryption.rawValue, context: VaultFormat.kdfContext)
    lookupKey = try Sodium.deriveSubkey(from: newKey, id: Subkey.recordLookup.rawValue, context: VaultFormat.kdfContext)
    header.slots = slots
    headerChanged = true
    rekeyed = (audit, head?.anchorSeq ?? 0, head?.anchorTag ?? AuditLog.zeroTag)
    changes.removeAll()
    for rec in all where rec.key != AuditLog.headKey { put(rec.key, rec.value) }
    put(HashingKeys.recordKey, hashing.encode())
  }

  // MARK: Commit

  /// Makes every staged change durable in one transaction (events, records, header),
  /// then ends it. Statements go in batches of a few MiB, all before one COMMIT.
  public func commit() throws {
    precondition(!finished, "vault used after commit")
    guard hasChanges else {
      finished = true
      try conn.execute("COMMIT")
      return
    }
    precondition(isWritable, "commit on a vault opened for reading")
    let s = Self.schema
    var batch = SQLBatch(conn)

    var newAuditRows: [(UInt64, [UInt8])] = []
    if let r = rekeyed {
      // The rows, sealed again under the new key, chained from the same anchor.
      try batch.add("DELETE FROM \(s).records")
      try batch.add("DELETE FROM \(s).audit")
      let key = try subkey(.audit)
      var head = AuditLog.Head(
        seq: r.anchorSeq, tag: r.anchorTag, end: UInt64(AuditLog.headerLength), anchorSeq: r.anchorSeq,
        anchorTag: r.anchorTag)
      for rec in r.audit {
        let record = AuditLog.sealRecord(
          rec.plaintext, seq: rec.seq, prevTag: head.tag, vaultID: header.vaultID, key: key)
        head.seq = rec.seq
        head.tag = Array(record.suffix(AuditLog.tagLength))
        head.end += UInt64(record.count)
        newAuditRows.append((rec.seq, record))
      }
      if r.audit.isEmpty && r.anchorSeq == 0 && auditAppends.isEmpty {
        // never logged: no head
      } else {
        cachedAuditHead = .some(head)
        let (h, rows) = try sealAppends(after: head)
        newAuditRows += rows
        put(AuditLog.headKey, h.encode())
      }
      keyID += 1
    } else if !auditAppends.isEmpty || prune != nil {
      let (head, rows) = try sealAppends(after: try committedAuditHead())
      newAuditRows = rows
      put(AuditLog.headKey, head.encode())
      if let p = prune { try batch.add("DELETE FROM \(s).audit WHERE seq < \(p.keepFrom)") }
    }

    // Events first, as in the file: the records they explain follow in the same transaction.
    for (seq, record) in newAuditRows {
      try batch.add("INSERT INTO \(s).audit (seq, record) VALUES (\(seq), \(PGText.literal(record)))")
    }
    var removals: [String] = []
    for (_, change) in changes.sorted(by: { $0.key < $1.key }) {
      if let v = change.value {
        let sealed = sealRow(id: change.id, key: change.key, value: v)
        try batch.add(
          "INSERT INTO \(s).records (id, key_id, sealed) VALUES (\(PGText.literal(change.id)), \(keyID), "
            + "\(PGText.literal(sealed))) ON CONFLICT (id) DO UPDATE SET key_id = EXCLUDED.key_id, sealed = EXCLUDED.sealed"
        )
      } else {
        removals.append(PGText.literal(change.id))
      }
    }
    if !removals.isEmpty {
      try batch.add("DELETE FROM \(s).records WHERE id IN (\(removals.joined(separator: ", ")))")
    }
    if headerChanged || rekeyed != nil {
      try batch.add(
        "UPDATE \(s).vault SET header = \(PGText.literal(VaultFile.headerWithChecksum(header))), key_id = \(keyID) WHERE id = 1"
      )
    }
    try batch.add("COMMIT")
    finished = true
    try batch.flush()
    changes.removeAll()
    auditAppends.removeAll()
  }
}

/// Statements joined into few round trips (simple query protocol: one string, several
/// statements, run in order; the first failure aborts the transaction).
struct SQLBatch {
  let conn: PGConnection
  var sql = ""
  static let limit = 4 << 20

  init(_ conn: PGConnection) { self.conn = conn }

  mutating func add(_ statement: String) throws {
    if !sql.isEmpty && sql.utf8.count + statement.utf8.count > Self.limit { try flush() }
    sql += statement
    sql += ";\n"
  }

  mutating func flush() throws {
    guard !sql.isEmpty else { return }
    defer { sql = "" }
    try conn.execute(sql)
  }
}

extension Optional where Wrapped == [UInt8] {
  /// The bytes as a raw buffer, or nil.
  func withUnsafeBufferOrNil<R>(_ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
    switch self {
    case .some(let b): return try b.withUnsafeBytes { try body($0) }
    case .none: return try body(nil)
    }
  }
}
