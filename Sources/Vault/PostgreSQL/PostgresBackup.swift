// Backups of a PostgreSQL vault, and restores into one (docs/postgresql.md, "Backups and
// moving between backends"). The rows are a vault file's records and audit records, so a
// backup is made by laying them out as the file would hold them and a restore by
// splitting a backup's files into rows: a backup made from either backend restores into
// either, and file -> PostgreSQL -> file gives the same bytes back.
import Sodium

#if canImport(Glibc)
  import Glibc
#endif

extension PostgresVault {
  /// The vault as a vault file (header, index, records in lookup-id order) and its
  /// committed audit log, byte for byte what a file vault with these rows holds.
  public func fileImage() throws -> (vault: [UInt8], audit: [UInt8]) {
    precondition(!hasChanges, "an image of a vault with staged changes")
    let rows = try conn.execute("SELECT id, sealed FROM \(Self.schema).records", [])
    var records: [(id: [UInt8], sealed: [UInt8])] = []
    records.reserveCapacity(rows.count)
    for r in 0..<rows.count { records.append((rows.bytes(r, 0), rows.bytes(r, 1))) }
    records.sort { $0.id.lexicographicallyPrecedes($1.id) }
    var entries = ByteWriter(capacity: records.count * IndexLayout.entryLength)
    var body: [UInt8] = []
    for rec in records {
      guard rec.id.count == 16, rec.sealed.count >= 40 else { throw VaultError.corrupt("a record row has a bad shape") }
      entries.raw(rec.id)
      entries.u32(UInt32(rec.sealed.count))
      entries.raw(Array(rec.sealed.suffix(16)))
      body += rec.sealed
    }
    let indexKey = try Sodium.deriveSubkey(from: dataKey, id: Subkey.indexMAC.rawValue, context: VaultFormat.kdfContext)
    let prefix = IndexLayout.build(headerAndChecksum: unlockedHeader, entries: entries.bytes, key: indexKey)
    return (prefix + body, try committedAuditLog() ?? [])
  }

  /// A backup of this vault (opened with `key`, shared is enough: the snapshot is
  /// consistent). The image is checked as a file vault's backup is (every record
  /// decrypted, the audit chain verified), through a scratch copy in $TMPDIR that holds
  /// only ciphertext and is removed afterwards.
  public func backup(
    key: UnlockKey, now: Int64, backupPassphrase: SecureBytes? = nil, limits: Sodium.PwhashLimits = .moderate,
    inspect: ((VaultFile) throws -> Void)? = nil
  ) throws -> Backup.Made {
    let (vault, audit) = try fileImage()
    let dir = try ScratchDirectory(base: Backup.defaultScratchBase)
    defer { dir.remove() }
    try dir.write("vault.mfa", vault, [])
    if !audit.isEmpty { try dir.write("vault.mfa.audit", audit, []) }
    let copy = try VaultFile(path: dir.path + "/vault.mfa", key: key, mode: .shared, lockTimeout: lockTimeout)
    defer { copy.close() }
    return try Backup.make(
      vault: copy, key: key, now: now, backupPassphrase: backupPassphrase, limits: limits, inspect: inspect)
  }

  /// The outcome of a restore into the database.
  public struct Restored {
    public let prior: Backup.PriorState
    /// The schema the replaced tables were renamed to (nil: there were none).
    public let replacedSchema: String?
  }

  /// Restores a verified backup into the database at `uri`, in one transaction: the
  /// current tables (when there are any) are kept under the schema name
  /// `mfactl_replaced_<UTC time>`, new ones are created and filled with the backup's
  /// rows, after `prepare` (given the restored vault as a scratch file copy, and the
  /// replaced vault when `key` opens it, to raise replay floors from) and the restored
  /// log's last event. As for a file: over a vault that opens, or that is sound but does
  /// not open with `key`, `force` is needed.
  public static func restore(
    _ contents: Backup.Contents, uri: String, key: UnlockKey, force: Bool, now: Int64, lockTimeout: Double,
    prepare: ((_ restored: VaultFile, _ replaced: PostgresVault?) throws -> Void)? = nil
  ) throws -> Restored {
    let probe = try PGConnection(uri: uri, lockTimeout: lockTimeout)
    let exists = try probe.execute("SELECT to_regclass('\(schema).vault') IS NOT NULL").bytesAsText(0, 0) == "t"
    var replaced: PostgresVault? = nil
    var prior = Backup.PriorState.missing
    if exists {
      do {
        let v = try PostgresVault(uri: uri, key: key, mode: .exclusive, lockTimeout: lockTimeout)
        var all = try v.records(withPrefix: "")
        for i in all.indices { Sodium.wipe(&all[i].value) }
        replaced = v
        prior = .opens
      } catch let e as VaultError {
        switch e {
        case .corrupt(let why): prior = .corrupt(why)
        case .unsupportedVersion(let v): prior = .notChecked("its format version \(v) is newer than this mfactl reads")
        case .unlockFailed: prior = .notChecked("the key given opens the backup but not this vault")
        default: throw e
        }
      }
    }
    defer { replaced?.close() }
    if !force {
      switch prior {
      case .opens: throw BackupError.vaultStillOpens(probe.location)
      case .notChecked(let why): throw BackupError.vaultNotChecked(path: probe.location, reason: why)
      case .missing, .corrupt: break
      }
    }

    let (vaultBytes, auditBytes) = try Backup.appendingEvent(
      nil, to: contents, scratch: { try ScratchDirectory(base: Backup.defaultScratchBase) },
      prepare: prepare.map { p in { restored in try p(restored, replaced) } })
    let rows = try splitVault(vaultBytes)
    let auditRows = try splitAudit(auditBytes)

    // The writer: the replaced vault's own transaction (it holds the vault row's lock),
    // or a new one.
    let conn: PGConnection
    if let r = replaced {
      conn = r.conn
    } else {
      conn = probe
      try conn.execute("BEGIN; " + conn.transactionSettings)
    }
    var replacedSchema: String? = nil
    if exists {
      replacedSchema = "\(schema)_replaced_" + Backup.compactUTC(now).lowercased()
      var n = 1
      while try conn.execute(
        "SELECT to_regnamespace('\(replacedSchema!)') IS NOT NULL"
      ).bytesAsText(0, 0) == "t" {
        n += 1
        replacedSchema = "\(schema)_replaced_" + Backup.compactUTC(now).lowercased() + "_\(n)"
      }
      try conn.execute("ALTER SCHEMA \(schema) RENAME TO \(replacedSchema!)")
    }
    try createTables(conn, header: rows.header, keyID: 1, begin: false, commit: false)
    var batch = SQLBatch(conn)
    for (seq, record) in auditRows {
      try batch.add("INSERT INTO \(schema).audit (seq, record) VALUES (\(seq), \(PGText.literal(record)))")
    }
    for (id, sealed) in rows.records {
      try batch.add(
        "INSERT INTO \(schema).records (id, key_id, sealed) VALUES (\(PGText.literal(id)), 1, \(PGText.literal(sealed)))"
      )
    }
    try batch.add("COMMIT")
    try batch.flush()
    replaced?.finished = true
    return Restored(prior: prior, replacedSchema: replacedSchema)
  }

  /// A vault file's header (with its checksum) and records (lookup id, sealed bytes).
  static func splitVault(_ bytes: [UInt8]) throws -> (header: [UInt8], records: [([UInt8], [UInt8])]) {
    let (_, headerLength) = try bytes.withUnsafeBytes { try VaultHeader.decode($0) }
    guard let layout = IndexLayout(bytes, headerLength: headerLength) else {
      throw VaultError.corrupt("truncated index")
    }
    var records: [([UInt8], [UInt8])] = []
    var offset = layout.recordsStart
    for i in 0..<layout.count {
      let at = layout.entryAt(i)
      let id = Array(bytes[at..<(at + 16)])
      var n = 0
      for k in 0..<4 { n |= Int(bytes[at + 16 + k]) << (8 * k) }
      guard offset + n <= bytes.count else { throw VaultError.corrupt("record runs past the end of the file") }
      records.append((id, Array(bytes[offset..<(offset + n)])))
      offset += n
    }
    return (Array(bytes[0..<(headerLength + 32)]), records)
  }

  /// An audit log file's records (sequence number, whole record), after its header.
  /// The anchor of a pruned log is kept in the vault's `audit/head` record.
  static func splitAudit(_ bytes: [UInt8]) throws -> [(UInt64, [UInt8])] {
    guard bytes.count > AuditLog.headerLength else { return [] }
    var out: [(UInt64, [UInt8])] = []
    var off = AuditLog.headerLength
    while off < bytes.count {
      guard off + AuditLog.recordPrefixLength <= bytes.count else { throw VaultError.corrupt("truncated audit log") }
      var len = 0
      for k in 0..<4 { len |= Int(bytes[off + k]) << (8 * k) }
      var seq: UInt64 = 0
      for k in 0..<8 { seq |= UInt64(bytes[off + 4 + k]) << (8 * UInt64(k)) }
      let end = off + AuditLog.recordPrefixLength + len
      guard len >= AuditLog.minSealedLength, end <= bytes.count else { throw VaultError.corrupt("bad audit record") }
      out.append((seq, Array(bytes[off..<end])))
      off = end
    }
    return out
  }
}

extension PGRows {
  /// A text result's value as a string.
  func bytesAsText(_ row: Int, _ column: Int) -> String {
    String(decoding: rawBytes(row, column), as: UTF8.self)
  }
}
