// The file vault as `AccountStorage`: a thin adapter over VaultFile's public API (the
// only file of the domain that names VaultFile). One open VaultFile is one transaction:
// it holds the file lock (shared or exclusive) from the open to `commit()` or `close()`,
// stages every change in memory and writes it, audit events first, in one commit.
import Sodium
import Vault

public final class FileVaultStorage: AccountStorage {
  public let vault: VaultFile

  public init(_ vault: VaultFile) { self.vault = vault }

  public var location: String { vault.path }
  public var formatVersion: Int { Int(vault.header.version) }
  public var lock: StorageLock { vault.isWritable ? .exclusive : .shared }

  public func reopenedForWriting() throws -> AccountStorage {
    FileVaultStorage(try vault.reopenForWriting())
  }

  public func close() { vault.close() }

  // The exclusive file lock already covers every record, so a read for writing needs
  // no lock of its own here.
  public func get(_ key: String) throws -> [UInt8]? { try vault.get(key) }
  public func contains(_ key: String) throws -> Bool { try vault.contains(key) }
  public func put(_ key: String, _ value: [UInt8]) { vault.put(key, value) }
  public func remove(_ key: String) { vault.remove(key) }
  public func scan(prefix: String) throws -> [(key: String, value: [UInt8])] { try vault.records(withPrefix: prefix) }
  public var recordCount: Int { vault.recordCount }
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

extension AccountStore {
  /// A store over an open vault file.
  public convenience init(vault: VaultFile, now: Int64, actor: Actor) {
    self.init(storage: FileVaultStorage(vault), now: now, actor: actor)
  }
}

extension ReplayFloors {
  /// `raise(in:from:now:)` over two open vault files (a restore's prepare step).
  public static func raise(in restored: VaultFile, from replaced: VaultFile, now: Int64) throws -> Raised {
    try raise(in: FileVaultStorage(restored), from: FileVaultStorage(replaced), now: now)
  }
}
