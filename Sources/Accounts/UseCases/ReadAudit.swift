// `audit list | verify | export | prune`, `users export`, `status`: the audit log read
// back, its chain verified, with the names of the users the events refer to.
import Vault

public enum ReadAudit {
  public struct Result {
    /// Every committed event, decoded, oldest first.
    public var entries: [AuditEntry]
    /// User id -> name for present users and removed ones not erased (erased: absent).
    public var names: [String: String]
    /// Events an interrupted write left after the head (the next write drops them).
    public var uncommitted: Int
  }

  /// Throws `VaultError.auditTampered` naming the first bad event, including one whose
  /// record verifies but does not decode.
  public static func run(_ store: AccountStore) throws -> Result {
    let (records, uncommitted) = try store.storage.auditRecords()
    var entries: [AuditEntry] = []
    entries.reserveCapacity(records.count)
    for r in records {
      do {
        entries.append(try AuditCodec.decode(seq: r.seq, r.plaintext))
      } catch let e as DecodeError {
        throw VaultError.auditTampered(firstBadSeq: r.seq, reason: "undecodable event: \(e.reason)")
      }
    }
    return Result(entries: entries, names: try store.userNames(), uncommitted: uncommitted)
  }
}
