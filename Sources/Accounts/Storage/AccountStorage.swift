// What the domain needs from storage, and nothing more. `AccountStore` and the use cases
// talk only to this protocol; the file vault implements it today (FileVaultStorage.swift)
// and a database can implement it later (issue 12: PostgreSQL) without the domain
// changing. So every requirement here is written so that a SQL database with row locks
// can meet it:
//
// - Records are opaque bytes under string keys ("user/<name>", "name/<id>",
//   "session/<hex>"); the storage never interprets them. A database keeps them as rows
//   keyed by (a keyed hash of) the key, each sealed on its own.
// - One open storage is one transaction: reads see one consistent state, writes are
//   staged and reach durable storage only in `commit()`, together with the audit events
//   appended since the open. Nothing is durable before `commit()` returns; a storage
//   dropped without a commit changes nothing (fail closed).
// - Locking is shared (reads) or exclusive (read-modify-write), chosen at open. The file
//   vault locks the whole file; a database locks the rows a transaction reads for writing
//   (`SELECT ... FOR UPDATE`) and the audit chain's head row at commit. A verify reads and
//   writes one user's records and appends its events: nothing global, so two users'
//   verifies never wait on each other there.
// - Audit events are appended in order and chained by the storage (the file's MAC chain,
//   or a head row locked in the same transaction), so the chain order is the commit order.
import Sodium
import Vault

/// The lock an open storage holds until it is committed or closed.
public enum StorageLock: Equatable {
  /// Reads only; any number of readers at once.
  case shared
  /// Read-modify-write: one writer; what it read cannot change under it before its commit.
  case exclusive
}

/// The committed end of the audit chain: the last event's number and tag, and (for the
/// file vault) the log's length after it. Compared by `audit verify` and `audit reset`.
public struct AuditChainHead: Equatable {
  public var seq: UInt64
  public var tag: [UInt8]
  public var end: UInt64
  public init(seq: UInt64, tag: [UInt8], end: UInt64) {
    self.seq = seq
    self.tag = tag
    self.end = end
  }
}

public protocol AccountStorage: AnyObject {
  // MARK: Where and how it is open

  /// Where the state lives (a file path; a database URI without its password), for
  /// messages and `status`.
  var location: String { get }
  /// The stored format's version (the file header's; a schema version for a database).
  var formatVersion: Int { get }
  /// The lock held since the open.
  var lock: StorageLock { get }
  /// The same storage opened again with the exclusive lock, read afresh (a check that
  /// turns out to need a write). Nothing may be staged on this one, which must not be
  /// used afterwards. Why not an upgrade in place: two shared holders upgrading at once
  /// would deadlock; releasing first and re-reading cannot.
  func reopenedForWriting() throws -> AccountStorage
  /// Releases the lock without committing (staged changes are dropped).
  func close()

  // MARK: Records

  /// The record under `key`, nil if there is none. With the exclusive lock, reading a
  /// record also locks it until the commit (a database takes the row lock here).
  func get(_ key: String) throws -> [UInt8]?
  func contains(_ key: String) throws -> Bool
  /// Stages a record write; durable only at `commit()`.
  func put(_ key: String, _ value: [UInt8])
  /// Stages a record removal; durable only at `commit()`.
  func remove(_ key: String)
  /// Every record whose key starts with `prefix`, staged changes included. Only for
  /// commands that list or check everything (`users list`, `vault check`, audit names):
  /// a verify never scans.
  func scan(prefix: String) throws -> [(key: String, value: [UInt8])]
  /// How many records are stored (`vault check`).
  var recordCount: Int { get throws }
  /// Whether anything (records, audit events, key slots) is staged.
  var hasChanges: Bool { get }

  // MARK: Keys

  /// A key derived from the data key for one purpose (hashing tokens and recovery codes,
  /// sealing challenges). Derived in the process, so hashes and sealed values never
  /// depend on the storage and a database never sees the data key.
  func subkey(_ id: Subkey) throws -> SecureBytes

  // MARK: Audit log

  /// Reserves the next place in the audit chain for an event (its encoded bytes); it is
  /// written by the next `commit()`, before the records it explains.
  func appendAudit(_ event: [UInt8])
  /// The committed head of the audit chain, nil when nothing was ever logged.
  func auditHead() throws -> AuditChainHead?
  /// Every committed event, oldest first, after verifying the whole chain; and how many
  /// an interrupted write left after the head. Throws `VaultError.auditTampered`.
  func auditRecords() throws -> (records: [AuditRecord], uncommitted: Int)
  /// Stages dropping the events before `seq`, with `checkpoint` appended to say so.
  /// Needs the exclusive lock.
  func pruneAudit(keepingFrom seq: UInt64, checkpoint: [UInt8]) throws

  // MARK: Key slots
  //
  // The data key wrapped for each secret that may unlock the state (docs/FORMAT.md,
  // "Key slots"). Changes are staged and committed like records, with their event.

  var keySlots: [KeySlot] { get }
  func addKeySlot(_ key: UnlockKey, limits: Sodium.PwhashLimits) throws
  /// Replaces every passphrase slot with one for `passphrase`.
  func setPassphrase(_ passphrase: SecureBytes, limits: Sodium.PwhashLimits) throws
  /// Removes the key-file slot `keyFile` opens (or the only one when nil); never the last slot.
  func removeKeyFileSlot(_ keyFile: SecureBytes?) throws -> KeySlot
  /// A new data key: every record and event sealed again, wrapped for each of `keys`
  /// (which replace every slot). The keys of stored hashes stay (`subkey` is unchanged).
  func rekey(keys: [UnlockKey], limits: [SlotKind: Sodium.PwhashLimits]) throws

  // MARK: Commit

  /// Makes every staged change durable as one transaction, the reserved audit events
  /// first: all of it or none of it. The storage must not be used afterwards.
  func commit() throws
}
