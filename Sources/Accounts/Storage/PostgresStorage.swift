// A PostgreSQL vault as `AccountStorage` (docs/postgresql.md): a thin adapter over
// PostgresVault, whose open is one database transaction (the exclusive lock is the vault
// row's, then each record read for writing is locked with `FOR UPDATE`).
import Sodium
import Vault

public final class PostgresStorage: AccountStorage {
  public let vault: PostgresVault

  public init(_ vault: PostgresVault) { self.vault = vault }

  public var location: String { vault.location }
  public var formatVersion: Int { PostgresVault.schemaVersion }
  public var lock: StorageLock { vault.isWritable ? .exclusive : .shared }

  public func reopenedForWriting() throws -> AccountStorage { PostgresStorage(try vault.reopenForWriting()) }
  public func close() { vault.close() }

  public func get(_ key: String) throws -> [UInt8]? { try vault.get(key) }
  public func contains(_ key: String) throws -> Bool { try vault.contains(key) }
  public func put(_ key: String, _ value: [UInt8]) { vault.put(key, value) }
  public func remove(_ key: String) { vault.remove(key) }
  public func scan(prefix: String) throws -> [(key: String, value: [UInt8])] { try vault.records(withPrefix: prefix) }
  public var recordCount: Int { get throws { try vault.recordCount } }
  public var hasChanges: Bool { vault.hasChanges }

  public func subkey(_ id: Subkey) throws -> SecureBytes { try vault.subkey(id) }

  public func appendAudit(_ event: [UInt8]) { vault.appendAudit(event) }
  public func auditHead() throws -> AuditChainHead? {
    try vault.auditHead().map { AuditChainHead(seq: $0.seq, tag: $0.tag, end: $0.end) }
  }
  public func auditRecords() throws -> (records: [AuditRecord], uncommitted: Int) { try vault.auditRecords() }
  public func pruneAudit(keepingFrom seq: UInt64, checkpoint: [UInt8]) throws {
    try vault.pruneAudit(keepingFrom: seq, checkpoint: checkpoint)
  }

  public var keySlots: [KeySlot] { vault.header.slots }
  public func addKeySlot(_ key: UnlockKey, limits: Sodium.PwhashLimits) throws {
    try vault.addSlot(key, limits: limits)
  }
  public func setPassphrase(_ passphrase: SecureBytes, limits: Sodium.PwhashLimits) throws {
    try vault.setPassphrase(passphrase, limits: limits)
  }
  public func removeKeyFileSlot(_ keyFile: SecureBytes?) throws -> KeySlot { try vault.removeKeyFileSlot(keyFile) }
  public func rekey(keys: [UnlockKey], limits: [SlotKind: Sodium.PwhashLimits]) throws {
    try vault.rekey(keys: keys, limits: limits)
  }

  public func commit() throws { try vault.commit() }
}
