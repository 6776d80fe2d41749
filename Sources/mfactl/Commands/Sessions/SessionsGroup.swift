import Accounts
import ArgumentParser

extension MFACtl {
  struct SessionsGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "sessions",
      abstract: "Login sessions: a token a web app or script keeps after a successful verify.",
      subcommands: [SessionsCreate.self, SessionsCheck.self, SessionsList.self, SessionsRevoke.self])
  }
}
