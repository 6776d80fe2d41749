import Accounts
import ArgumentParser
import Vault

/// `audit export --format`: jsonl (one JSON object per line) or csv. Nothing else: a
/// format the command does not have is a usage error (64), never a silent fallback
/// (docs/json/README.md, "Conventions").
enum ExportFormat: String, CaseIterable, ExpressibleByArgument {
  case jsonl, csv
}

struct AuditExport: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Export audit events oldest first, for a SIEM: --format jsonl (default) or csv.",
    discussion: "--output FILE writes a new file (mode 0600, never overwrites: exit 73) instead of stdout.")
  @OptionGroup(title: "Global options") var common: CommonOptions
  @Option(help: "Output format: jsonl (one event object per line) or csv.") var format: ExportFormat = .jsonl
  @OptionGroup var filters: AuditFilterOptions
  @Option(help: ArgumentHelp("Write to this new file instead of stdout.", valueName: "file"), completion: .file())
  var output: String?

  func run() throws {
    try reporting {
      let ctx = Context(settings: common.settings(format: .text))
      if let f = output, FileIO.exists(f) {
        throw CLIError(
          "\(f) already exists", code: Exit.cannotCreate, hint: "choose another file name; mfactl never overwrites")
      }
      let store = try ctx.openStore(write: false)
      let audit = try ReadAudit.run(store)
      let entries = audit.entries
      let names = audit.names
      let f = try filters.filter(store, names: names)
      var out = ""
      if format == .csv {
        out += "id,time,event,outcome,user,user_id,actor,ip,user_agent,clock_overridden,detail\n"
      }
      for e in entries where f.matches(e) {
        if format == .csv {
          let cols = [
            String(e.seq), Time.rfc3339(e.time), e.name, e.outcome.rawValue, e.userID.flatMap { names[$0] } ?? "",
            e.userID ?? "", e.actor, e.ip ?? "", e.userAgent ?? "", e.clockOverridden ? "true" : "false",
            e.displayDetail.map { "\($0.key)=\($0.value)" }.joined(separator: ";"),
          ]
          out += cols.map(csvField).joined(separator: ",") + "\n"
        } else {
          out += JSON.object(ObjectJSON.event(e, names: names)).serialized + "\n"
        }
      }
      if let file = output {
        try FileIO.createExclusive(file, contents: Array(out.utf8))
      } else {
        Terminal.stdout(out)
      }
    }
  }
}

/// RFC 4180: quote fields with commas, quotes or line breaks; double the quotes. A
/// leading = + - @ is prefixed with ' so spreadsheets do not run it as a formula.
func csvField(_ s: String) -> String {
  var v = s
  if let first = v.first, "=+-@".contains(first) { v = "'" + v }
  if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
    return "\"" + v.replacingQuotes + "\""
  }
  return v
}

extension String {
  var replacingQuotes: String { String(flatMap { $0 == "\"" ? ["\"", "\""] : [$0] }) }
}
