// `audit reset`: a new, empty log after a damaged or lost one, without reading the old
// one; `audit.reset` opens it and says up to which event was discarded.

public enum ResetAudit {
  /// The last event discarded (nil: the log was empty).
  public static func run(_ store: AccountStore) throws -> UInt64? {
    let head = try store.auditHead()
    try store.pruneAudit(
      keepingFrom: (head?.seq ?? 0) + 1,
      event: AccountEvent(.auditReset, detail: ["discarded_up_to": String(head?.seq ?? 0)]))
    try store.commit()
    return head?.seq
  }
}
