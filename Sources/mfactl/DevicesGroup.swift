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

func deviceJSON(_ d: TrustedDevice, user: String) -> JSON {
  .object([
    ("id", .string(d.id)), ("user", .string(user)), ("name", .string(d.name)), ("created", .time(d.createdAt)),
    ("last_used", .time(d.lastUsedAt)), ("expires", .time(d.expiresAt)), ("ip", .str(d.ip)), ("user_agent", .str(d.userAgent)),
  ])
}

func sessionJSON(_ s: Session, user: String) -> JSON {
  .object([
    ("id", .string(s.id)), ("user", .string(user)), ("created", .time(s.createdAt)), ("last_seen", .time(s.lastSeenAt)),
    ("expires", .time(s.expiresAt)), ("idle_timeout", .num(s.idleTimeout)), ("remember", .bool(s.remember)),
    ("ip", .str(s.ip)), ("user_agent", .str(s.userAgent)), ("device", .str(s.deviceName)),
  ])
}

/// Prints a new token: alone on stdout (so `$(...)` captures just the token), with a
/// description on stderr unless --quiet; JSON: one object with `token`.
func printToken(_ ctx: Context, token: String, description: String, json: [(String, JSON)]) {
  if ctx.options.json {
    ctx.printer.json(.object([("token", .string(token))] + json))
    return
  }
  if !ctx.options.quiet { Terminal.stderr(description + "\n") }
  ctx.printer.essential(token)
}

/// A duration option: `90s`, `30m`, `24h`, `30d`.
func parseDuration(_ text: String?, option: String) throws -> Int64? {
  guard let t = text else { return nil }
  guard let v = Duration.parse(t) else {
    throw ValidationError("\(option) takes a duration like 90s, 30m, 24h or 30d")
  }
  return v
}
