import Accounts
import ArgumentParser

struct DevicesRevoke: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "revoke", abstract: "Revoke one trusted device of a user, or all of them.")
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String
  @Argument(help: "Device id (from devices list).") var id: String?
  @Flag(help: "Revoke all of the user's devices.") var all = false

  func validate() throws {
    try checkUserName(user)
    guard (id != nil) != all else { throw ValidationError("give a device ID or --all") }
  }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let store = try ctx.openStore(write: true)
      let r: RevokeDevices.Result
      do { r = try RevokeDevices.run(store, RevokeDevices.Input(user: user, id: id)) } catch let e as DevicesError {
        // The message names the id only when it looks like one: a token pasted here
        // by mistake is never echoed.
        throw CLIError(e.description, code: Exit.notFound)
      }
      let (u, revoked) = (r.user, r.revoked)
      if options.json {
        ctx.printer.json(.object([("user", .string(u.name)), ("revoked", .array(revoked.map { .string($0.id) }))]))
      } else {
        ctx.printer.line("revoked \(revoked.count) device\(revoked.count == 1 ? "" : "s") of \(u.name)")
      }
    }
  }
}
