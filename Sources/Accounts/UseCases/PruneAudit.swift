// `audit prune --before TIME`: the events older than a time go; the kept ones still
// verify from the log's new anchor, and `audit.pruned` says what went.
import Vault

public enum PruneAudit {
  public struct Result {
    /// How many events went (0: none was older; nothing was written).
    public var pruned: Int
  }

  public static func run(_ store: AccountStore, before cutoff: Int64) throws -> Result {
    let entries = try ReadAudit.run(store).entries
    let pruned = entries.prefix { $0.time < cutoff }
    guard let last = pruned.last else { return Result(pruned: 0) }
    try store.pruneAudit(
      keepingFrom: last.seq + 1,
      event: AccountEvent(
        .auditPruned,
        detail: ["records": String(pruned.count), "before": UTCTime.format(cutoff), "up_to": String(last.seq)]))
    try store.commit()
    return Result(pruned: pruned.count)
  }
}
