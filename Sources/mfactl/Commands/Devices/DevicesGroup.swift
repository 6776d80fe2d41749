import Accounts
import ArgumentParser

extension MFACtl {
  struct DevicesGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "devices",
      abstract: "Trusted devices: a token that lets a device skip the code for a while.",
      subcommands: [DevicesTrust.self, DevicesCheck.self, DevicesList.self, DevicesRevoke.self])
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

/// A duration option: `90s`, `30m`, `24h`, `30d`.
func parseDuration(_ text: String?, option: String) throws -> Int64? {
  guard let t = text else { return nil }
  guard let v = TimeSpan.parse(t) else {
    throw ValidationError("\(option) takes a duration like 90s, 30m, 24h or 30d")
  }
  return v
}
