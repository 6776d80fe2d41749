import Accounts
import ArgumentParser

extension MFACtl {
  struct AuditGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "audit",
      abstract: "The tamper-evident audit log: list, verify, export, prune, reset.",
      subcommands: [AuditList.self, AuditVerify.self, AuditExport.self, AuditPrune.self, AuditReset.self])
  }
}

/// One line per event, whatever the event holds: text recorded before control
/// characters were refused is shown escaped, so it cannot forge lines or reach the
/// terminal as escape sequences.
func auditText(_ e: AuditEntry, names: [String: String]) -> String {
  var s = "\(Time.rfc3339(e.time))  #\(e.seq)  \(e.name.displaySafe)"
  if e.outcome == .failure { s += " (failure)" }
  if let id = e.userID { s += "  user \(names[id] ?? "<erased \(id.displaySafe)>")" }
  s += "  by \(e.actor.displaySafe)"
  if let ip = e.ip { s += " from \(ip.displaySafe)" }
  if !e.detail.isEmpty {
    s += "  " + e.displayDetail.map { "\($0.key.displaySafe)=\($0.value.displaySafe)" }.joined(separator: " ")
  }
  if e.clockOverridden { s += "  [MFACTL_NOW]" }
  return s
}

/// Options shared by `audit list` and `audit export`.
struct AuditFilterOptions: ParsableArguments {
  @Option(help: ArgumentHelp("Only events about this user.", valueName: "name")) var user: String?
  @Option(
    help: ArgumentHelp(
      "Only this event; a name without a dot, or ending in '.' or '*', takes every event under it (verify: verify.success, verify.failure, ...).",
      valueName: "name"))
  var event: String?
  @Option(help: ArgumentHelp("Only events at or after this time (RFC 3339 or Unix seconds).", valueName: "time"))
  var since: String?
  @Option(help: ArgumentHelp("Only events at or before this time (RFC 3339 or Unix seconds).", valueName: "time"))
  var until: String?
  @Flag(help: "Only failed attempts and refusals.") var failures = false

  func validate() throws {
    if let u = user { try checkUserName(u) }
    for (name, value) in [("--since", since), ("--until", until)] {
      if let v = value, TimeArgument.parse(v) == nil {
        throw ValidationError("\(name) takes RFC 3339 (2026-01-31T12:00:00Z) or Unix seconds")
      }
    }
  }

  func filter(_ store: AccountStore, names: [String: String]) throws -> AuditFilter {
    var f = AuditFilter(
      event: event, since: since.flatMap(TimeArgument.parse), until: until.flatMap(TimeArgument.parse),
      failuresOnly: failures)
    if let u = user {
      let ids = Set(names.filter { $0.value == u }.keys)
      guard !ids.isEmpty else {
        throw CLIError("no events can be about \(u): no such user, or the user was erased", code: Exit.noUser)
      }
      f.userIDs = ids
    }
    return f
  }
}
