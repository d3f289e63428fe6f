// Package service is the reference server's service layer: one service per
// area (workforce records, grouping, trainings, the program year of
// reflective consultation, scholarships, surveys, plug-ins, keys and the
// audit log) between the HTTP handlers and the store.
//
// The house reads top-down: main builds the server; the HTTP layer (package
// app) parses requests, calls a service and renders its answer; services
// own the access policy, the transactions and the audit log; the store
// keeps documents; the library's packages (bsk, grouping, scholarship,
// survey) hold the program's policy underneath.
//
// Every method takes a context that carries its caller ([WithPrincipal]);
// a context without one is refused. Methods return the module's coded
// errors ([bsk.Error]): invalid (naming the field or row), not_found (also
// for a record the caller may not see, so that existence is never
// revealed), conflict, unauthorized (the caller's role may not do this at
// all) and internal. Each method's doc lists the codes it returns.
package service
