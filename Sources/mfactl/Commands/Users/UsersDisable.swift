import Accounts
import ArgumentParser

struct UsersDisable: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "disable", abstract: "Disable a user: every verify is rejected until enabled.")
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String
  func validate() throws { try checkUserName(user) }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let u = try ChangeUser.run(try ctx.openStore(write: true), ChangeUser.Input(user: user, change: .disable)).user
      if options.json {
        ctx.printer.json(.object([("user", .string(u.name)), ("disabled", .bool(true))]))
      } else {
        ctx.printer.line("\(u.name) is disabled")
      }
    }
  }
}
