// Output helpers: a small ordered JSON writer (no Foundation: start-up time is on the
// verify path), time formatting, and how a new token is shown.
import Vault

#if canImport(Glibc)
  import Glibc
#endif

/// A JSON value with object keys in insertion order, so output is stable for scripts.
indirect enum JSON {
  case string(String)
  case int(Int64)
  case bool(Bool)
  case null
  case array([JSON])
  case object([(String, JSON)])

  static func str(_ s: String?) -> JSON { s.map { .string($0) } ?? .null }
  static func num<T: BinaryInteger>(_ v: T?) -> JSON { v.map { .int(Int64($0)) } ?? .null }
  static func time(_ t: Int64?) -> JSON { t.map { .string(Time.rfc3339($0)) } ?? .null }

  var serialized: String {
    var out = ""
    write(into: &out)
    return out
  }

  func write(into out: inout String) {
    switch self {
    case .string(let s): JSON.escape(s, into: &out)
    case .int(let v): out += String(v)
    case .bool(let b): out += b ? "true" : "false"
    case .null: out += "null"
    case .array(let items):
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += "," }
        item.write(into: &out)
      }
      out += "]"
    case .object(let fields):
      out += "{"
      for (i, (k, v)) in fields.enumerated() {
        if i > 0 { out += "," }
        JSON.escape(k, into: &out)
        out += ":"
        v.write(into: &out)
      }
      out += "}"
    }
  }

  static func escape(_ s: String, into out: inout String) {
    out += "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if u.value < 0x20 || u.value == 0x7F || (0x2028...0x2029).contains(u.value) {
          let hex = String(u.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    out += "\""
  }
}

enum Time {
  /// RFC 3339 in UTC, to the second: 2026-11-22T08:30:00Z.
  static func rfc3339(_ t: Int64) -> String { UTCTime.format(t) }
}

/// Printing one result: JSON object on one line, or text lines.
struct Printer {
  let options: Settings

  func json(_ value: JSON) {
    Terminal.stdout(value.serialized + "\n")
  }

  /// A text line, unless --quiet.
  func line(_ s: String) {
    if !options.quiet { Terminal.stdout(s + "\n") }
  }

  /// A text line that scripts rely on: printed even with --quiet.
  func essential(_ s: String) {
    Terminal.stdout(s + "\n")
  }

  /// Pushes what was printed out of the stdio buffer; a write error (full disk, closed
  /// pipe) is 74. A command that shows a secret once (recovery codes, a token, a new
  /// secret) calls it before it commits, so a failed write leaves the vault as it was
  /// and no change exists whose only copy of the secret was lost (ARCHITECTURE.md, Rules,
  /// "Fail closed").
  func flush() throws {
    if fflush(Glibc.stdout) != 0 || ferror(Glibc.stdout) != 0 {
      let reason = String(cString: strerror(errno))
      throw CLIError("cannot write to standard output: \(reason)", code: Exit.ioError, hint: "nothing was changed")
    }
  }
}

/// Prints a new token: alone on stdout (so `$(...)` captures just the token), with a
/// description on stderr unless --quiet; JSON: one object with `token`, then the new
/// session's or device's fields (`json`, from ObjectJSON). Flushed: a token is shown
/// before the commit that stores it, so a token nobody could read is never stored.
func printToken(_ ctx: Context, token: String, description: String, json: [(String, JSON)]) throws {
  if ctx.options.json {
    ctx.printer.json(.object([("token", .string(token))] + json))
  } else {
    if !ctx.options.quiet { Terminal.stderr(description + "\n") }
    ctx.printer.essential(token)
  }
  try ctx.printer.flush()
}
