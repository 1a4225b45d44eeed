"""The records the stages pass along (parse -> IR -> resolve -> render -> format -> write),
shared by every part: the parsed docs (`docs`, stage 2, the IR) and what a parse is given and
gives (`parsed`), the resolved schema (`schema`) and its JSON form (`irjson`), names,
diagnostics and text printed on one line (`printable`), targets, the floors a generated
package needs, and the `Runner` a stage's batch work runs through."""
