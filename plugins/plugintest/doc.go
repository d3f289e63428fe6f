// Package plugintest tests a built plug-in binary the way the county
// runs it: through the real host (checksum, handshake, mutual TLS, the
// plug-in's Info and reason texts checked), in a real process, under
// deadlines. A plug-in's author tests the rule as a Go value first, then
// the binary with this package, before giving the county the binary and
// its checksum.
//
//	func TestBinary(t *testing.T) {
//		bin := plugintest.Build(t, ".")
//		h := plugintest.Start(t, bin, plugintest.Options{Args: []string{"-hours", "20"}})
//		plugintest.Run(t, h, "agency_minimum_hours", []plugintest.Case{
//			{Name: "full time", Application: app(40)},
//			{Name: "short", Application: app(12), Codes: []string{"agency_hours_short"},
//				Texts: map[scholarship.Lang][]string{scholarship.EnglishText: {"You work 12 hours a week; ..."}}},
//		})
//	}
//
// [Run] checks each case's outcome, reason codes and texts, and that no
// reason reads as a raw code in English or Spanish; a case may instead
// expect the call to fail with a code (a hang past the deadline, a crash).
package plugintest
