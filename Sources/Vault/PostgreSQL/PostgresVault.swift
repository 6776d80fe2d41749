// A vault kept in PostgreSQL, shared by every host that uses the database
// (docs/postgresql.md). It holds exactly what a vault file holds, row by row:
//
//   mfactl.vault    one row: the header (key slots, vault id; VaultHeader's encoding) and
//                   the id of the data key the rows are sealed under
//   mfactl.records  one row per record: its lookup id (keyed BLAKE2b of the logical key,
//                   so names are not stored in clear), that key id, and the record sealed
//                   exactly as in the file (XChaCha20-Poly1305, associated data vault id ||
//                   lookup id: a row moved under another id does not open)
//   mfactl.audit    one row per audit record, sealed and chained exactly as in the file
//                   (`AuditLog.sealRecord`); the head is the record `audit/head`
//
// So a record or an audit event is the same bytes in either backend, a backup is made
// from either, and `audit verify` runs the file's verifier over the rows.
//
// Concurrency: one open is one transaction. A writer's first statement locks the vault
// row (`SELECT ... FOR UPDATE`) and then the records it reads (`FOR UPDATE`), always in
// that order, so two writers cannot deadlock; the audit head lives behind the same row
// lock, so the chain order is the commit order. Readers use a read-only REPEATABLE READ
// snapshot and lock nothing. Every statement's row-lock wait is bounded by
// `lock_timeout` ($MFACTL_LOCK_TIMEOUT): past it, exit 75.
import Sodium

public final class PostgresVault {
  /// The schema mfactl's tables live in.
  static let schema = "mfactl"
  /// The version of the tables this build reads and writes (`mfactl.schema_version`).
  public static let schemaVersion = 1

  public let location: String
  public internal(set) var header: VaultHeader
  public let unlockedSlot: Int
  public let isWritable: Bool

  let conn: PGConnection
  let uri: String
  let lockTimeout: Double
  let unlockKey: UnlockKey
  let unlockedHeader: [UInt8]
  var dataKey: SecureBytes
  var recordKey: SecureBytes
  var lookupKey: SecureBytes
  /// Which data key the rows are sealed under (raised by a rekey).
  var keyID: Int64
  var headerChanged = false
  var finished = false

  /// Staged record changes by lookup id (hex): a new value, or nil for removal.
  var changes: [String: (id: [UInt8], key: String, value: [UInt8]?)] = [:]
  var auditAppends: [[UInt8]] = []
  /// A staged prune: the first record kept, the new anchor, and the bytes kept.
  var prune: (keepFrom: UInt64, anchorTag: [UInt8], keptBytes: UInt64)? = nil
  /// Set by `rekey`: the commit replaces every row (records under new lookup ids, audit
  /// records sealed again from the anchor).
  var rekeyed: (audit: [AuditRecord], anchorSeq: UInt64, anchorTag: [UInt8])? = nil
  var cachedAuditHead: AuditLog.Head?? = nil
  var hashingKeys: HashingKeys? = nil

  public static func isURI(_ vault: String) -> Bool { PGConnection.isURI(vault) }
  public static func redacted(_ uri: String) -> String { PGConnection.redacted(uri) }

  // MARK: Opening

  /// Connects, locks (exclusive: the vault row) and unlocks.
  public convenience init(uri: String, key: UnlockKey, mode: VaultLock.Mode, lockTimeout: Double) throws {
    try self.init(uri: uri, key: key, mode: mode, lockTimeout: lockTimeout, known: nil)
  }

  private init(
    uri: String, key: UnlockKey, mode: VaultLock.Mode, lockTimeout: Double,
    known: (header: [UInt8], dataKey: SecureBytes, slot: Int)?
  ) throws {
    self.uri = uri
    self.lockTimeout = lockTimeout
    unlockKey = key
    isWritable = mode == .exclusive
    conn = try PGConnection(uri: uri, lockTimeout: lockTimeout)
    location = conn.location
    var known = known
    // A passphrase costs an Argon2id: unwrap it before taking the row lock every writer
    // waits for, and check under the lock that the slots did not change meanwhile.
    if known == nil, mode == .exclusive, case .passphrase = key {
      let bytes = try Self.readHeaderBytes(conn).header
      let (h, _) = try Self.decodeHeader(bytes)
      let (dk, slot) = try SlotCrypto.unwrap(key, header: h)
      known = (bytes, dk, slot)
    }
    let begin =
      mode == .exclusive
      ? "BEGIN ISOLATION LEVEL READ COMMITTED" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
    let (bytes, keyID) = try Self.readHeaderBytes(
      conn, prefix: begin + "; " + conn.transactionSettings, forUpdate: mode == .exclusive)
    let (header, _) = try Self.decodeHeader(bytes)
    self.header = header
    self.keyID = keyID
    unlockedHeader = bytes
    let (dk, slot) =
      if let known = known, known.header == bytes { (known.dataKey, known.slot) } else {
        try SlotCrypto.unwrap(key, header: header)
      }
    dataKey = dk
    unlockedSlot = slot
    recordKey = try Sodium.deriveSubkey(from: dk, id: Subkey.recordEncryption.rawValue, context: VaultFormat.kdfContext)
    lookupKey = try Sodium.deriveSubkey(from: dk, id: Subkey.recordLookup.rawValue, context: VaultFormat.kdfContext)
  }

  /// The header row's bytes and key id, and checks the tables' version.
  static func readHeaderBytes(_ conn: PGConnection, prefix: String = "", forUpdate: Bool = false) throws -> (
    header: [UInt8], keyID: Int64
  ) {
    let rows = try conn.execute(
      prefix + "SELECT header, key_id, (SELECT max(version) FROM \(schema).schema_version) FROM \(schema).vault"
        + " WHERE id = 1" + (forUpdate ? " FOR UPDATE" : ""))
    guard rows.count == 1 else { throw VaultError.corrupt("the vault row is missing from \(schema).vault") }
    let version = rows.int(0, 2)
    guard version >= 1 else { throw VaultError.corrupt("\(schema).schema_version is empty") }
    guard version <= schemaVersion else { throw VaultError.unsupportedVersion(UInt16(clamping: version)) }
    return (rows.bytes(0, 0), rows.int(0, 1))
  }

  static func decodeHeader(_ bytes: [UInt8]) throws -> (VaultHeader, Int) {
    try bytes.withUnsafeBytes { try VaultHeader.decode($0) }
  }

  /// The header without a key (`vault info`), and the bytes mfactl's tables take on
  /// disk (with their indexes).
  public static func readHeader(uri: String, lockTimeout: Double) throws -> (header: VaultHeader, size: Int) {
    let conn = try PGConnection(uri: uri, lockTimeout: lockTimeout)
    let header = try decodeHeader(try readHeaderBytes(conn).header).0
    let size = try conn.execute(
      "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE n.nspname = '\(schema)' AND c.relkind = 'r'", []
    ).int(0, 0)
    return (header, Int(size))
  }

  /// Creates mfactl's tables in the database and the key slots (73 when they exist).
  public static func create(
    uri: String, keys: [UnlockKey], limits: Sodium.PwhashLimits, now: Int64, lockTimeout: Double
  ) throws {
    precondition(!keys.isEmpty, "a vault needs at least one key slot")
    let conn = try PGConnection(uri: uri, lockTimeout: lockTimeout)
    let dataKey = try SecureBytes.random(count: 32)
    let vaultID = Sodium.randomBytes(16)
    var header = VaultHeader(version: VaultFormat.version, vaultID: vaultID, createdAt: now, slots: [])
    for k in keys {
      header.slots.append(try SlotCrypto.makeSlot(for: k, dataKey: dataKey, vaultID: vaultID, limits: limits))
    }
    try createTables(conn, header: VaultFile.headerWithChecksum(header), keyID: 1, begin: true, commit: true)
  }

  /// The tables and the vault row; `begin` starts a transaction for them, `commit`
  /// ends it (false: the caller goes on in the same transaction).
  static func createTables(_ conn: PGConnection, header: [UInt8], keyID: Int64, begin: Bool, commit: Bool) throws {
    let s = schema
    do {
      try conn.execute(
        (begin ? "BEGIN; " + conn.transactionSettings : "")
          + """
          CREATE SCHEMA \(s);
          CREATE TABLE \(s).schema_version (version integer NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
          CREATE TABLE \(s).vault (id integer PRIMARY KEY CHECK (id = 1), header bytea NOT NULL, key_id bigint NOT NULL);
          CREATE TABLE \(s).records (id bytea PRIMARY KEY, key_id bigint NOT NULL, sealed bytea NOT NULL);
          CREATE TABLE \(s).audit (seq bigint PRIMARY KEY, record bytea NOT NULL);
          INSERT INTO \(s).schema_version (version) VALUES (\(schemaVersion));
          INSERT INTO \(s).vault (id, header, key_id) VALUES (1, \(PGText.literal(header)), \(keyID));
          """ + (commit ? "COMMIT" : ""))
    } catch VaultError.io(let why) where why.contains("SQLSTATE 42P06") || why.contains("SQLSTATE 42P07") {
      throw VaultError.alreadyExists("\(conn.location) (schema \(s))")
    }
  }

  /// Ends the transaction without committing (staged changes are dropped).
  public func close() {
    guard !finished else { return }
    finished = true
    _ = try? conn.execute("ROLLBACK")
  }

  /// The vault opened again for writing, read afresh (see AccountStorage).
  public func reopenForWriting() throws -> PostgresVault {
    close()
    return try PostgresVault(
      uri: uri, key: unlockKey, mode: .exclusive, lockTimeout: lockTimeout,
      known: (unlockedHeader, dataKey, unlockedSlot))
  }

  // MARK: Records

  // A row is sealed and opened exactly as a vault file's record (RecordCodec.swift).
  public func lookupID(_ key: String) -> [UInt8] { VaultFile.lookupID(key, lookupKey: lookupKey) }

  func openRow(id: [UInt8], sealed: [UInt8]) throws -> (key: String, value: [UInt8]) {
    try sealed.withUnsafeBytes { try VaultFile.openRecord($0, id: id, vaultID: header.vaultID, recordKey: recordKey) }
  }

  func sealRow(id: [UInt8], key: String, value: [UInt8]) -> [UInt8] {
    VaultFile.sealRecord(id: id, key: key, value: value, vaultID: header.vaultID, recordKey: recordKey)
  }

  /// The value under `key` (staged changes included). A writer locks the row.
  public func get(_ key: String) throws -> [UInt8]? {
    precondition(!finished, "vault used after commit")
    let id = lookupID(key)
    if let change = changes[Sodium.hex(id)] { return change.value }
    let rows = try conn.execute(
      "SELECT sealed FROM \(Self.schema).records WHERE id = $1" + (isWritable ? " FOR UPDATE" : ""), [.bytes(id)])
    guard rows.count == 1 else { return nil }
    let rec = try openRow(id: id, sealed: rows.bytes(0, 0))
    guard rec.key == key else { throw VaultError.corrupt("record key mismatch") }
    return rec.value
  }

  public func contains(_ key: String) throws -> Bool { try get(key) != nil }

  public func put(_ key: String, _ value: [UInt8]) {
    precondition(key.utf8.count <= 0xFFFF)
    let id = lookupID(key)
    changes[Sodium.hex(id)] = (id, key, value)
  }

  public func remove(_ key: String) {
    let id = lookupID(key)
    changes[Sodium.hex(id)] = (id, key, nil)
  }

  /// Every record whose key starts with `prefix` (staged changes included). Reads and
  /// decrypts every row: names are not stored in clear, so there is no prefix index.
  public func records(withPrefix prefix: String) throws -> [(key: String, value: [UInt8])] {
    precondition(!finished, "vault used after commit")
    var out: [(key: String, value: [UInt8])] = []
    if rekeyed == nil {
      let rows = try conn.execute("SELECT id, sealed FROM \(Self.schema).records", [])
      for r in 0..<rows.count {
        let id = rows.bytes(r, 0)
        if !changes.isEmpty && changes[Sodium.hex(id)] != nil { continue }
        let rec = try openRow(id: id, sealed: rows.bytes(r, 1))
        guard lookupID(rec.key) == id else { throw VaultError.corrupt("record key mismatch") }
        if rec.key.hasPrefix(prefix) { out.append(rec) }
      }
    }
    for (_, change) in changes where change.key.hasPrefix(prefix) {
      if let v = change.value { out.append((change.key, v)) }
    }
    return out
  }

  public var recordCount: Int {
    get throws { Int(try conn.execute("SELECT count(*) FROM \(Self.schema).records", []).int(0, 0)) }
  }

  public var hasChanges: Bool {
    !changes.isEmpty || headerChanged || !auditAppends.isEmpty || prune != nil || rekeyed != nil
  }

  public func subkey(_ id: Subkey) throws -> SecureBytes {
    try HashingKeys.subkey(id, dataKey: dataKey, hashing: loadHashingKeys)
  }

  func loadHashingKeys() throws -> HashingKeys {
    if let k = hashingKeys { return k }
    let k = try HashingKeys.load(record: try get(HashingKeys.recordKey), dataKey: dataKey)
    hashingKeys = k
    return k
  }
}
