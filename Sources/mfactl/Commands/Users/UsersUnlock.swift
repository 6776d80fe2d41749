import Accounts
import ArgumentParser

struct UsersUnlock: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "unlock", abstract: "Clear a user's failure count and lockout.")
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String
  func validate() throws { try checkUserName(user) }

  func run() throws {
    try runUserChange(options, user: user, .unlock, json: ("failures", .int(0)), text: "is unlocked")
  }
}
