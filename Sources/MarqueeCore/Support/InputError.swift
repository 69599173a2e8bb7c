/// Marks an error caused by what the caller gave (a malformed selector, an unknown id, a bad file).
///
/// Front ends map these to "your input is wrong" outcomes: exit status 2 in the CLI, a 4xx
/// response at the tower. Every other error is a failure of the system itself.
public protocol InputError: Error {}
