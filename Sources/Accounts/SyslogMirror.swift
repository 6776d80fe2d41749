// Optional mirror of audit events to syslog(3), for central collection (`--syslog` or
// $MFACTL_SYSLOG=1). The audit log stays the record of truth; the mirror is sent after
// the vault commit succeeded, at LOG_AUTHPRIV, warning level for failures. It names
// users by id, never by name: a central log cannot be erased on request.
#if canImport(Glibc)
  import Glibc
#endif

public enum SyslogMirror {
  /// openlog(3) keeps the pointer it is given, so the ident must live as long as the
  /// process (a temporary Swift-to-C string would be freed under it).
  private static let ident: UnsafeMutablePointer<CChar> = strdup("mfactl")

  /// One line, `key=value` pairs; values with spaces, quotes or '=' are quoted.
  public static func line(_ e: AccountEvent, actor: Actor, time: Int64) -> String {
    var pairs: [(String, String)] = [("event", e.name), ("outcome", e.outcome.rawValue)]
    if let id = e.userID { pairs.append(("user_id", id)) }
    pairs.append(("actor", actor.name))
    if let ip = actor.ip { pairs.append(("ip", ip)) }
    for (k, v) in e.detail.sorted(by: { $0.key < $1.key }) { pairs.append((k, v)) }
    pairs.append(("time", String(time)))
    return pairs.map { k, v in
      let plain = !v.isEmpty && v.allSatisfy { $0 != " " && $0 != "\"" && $0 != "=" && $0.isASCII && !$0.isNewline }
      return plain ? "\(k)=\(v)" : "\(k)=\"" + v.replacingOccurrencesOfQuote + "\""
    }.joined(separator: " ")
  }

  public static func send(_ events: [AccountEvent], actor: Actor, time: Int64) {
    guard !events.isEmpty else { return }
    openlog(ident, LOG_PID, LOG_AUTHPRIV)
    for e in events {
      let text = line(e, actor: actor, time: time)
      let priority = e.outcome == .failure ? LOG_WARNING : LOG_INFO
      text.withCString { c in withVaList([c]) { vsyslog(priority, "%s", $0) } }
    }
    closelog()
  }
}

extension String {
  var replacingOccurrencesOfQuote: String {
    String(flatMap { c -> [Character] in c == "\"" || c == "\\" ? ["\\", c] : (c.isNewline ? [" "] : [c]) })
  }
}
