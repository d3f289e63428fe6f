// Package flow is an exact minimum-cost maximum flow over integer
// capacities and int64 costs, shared by the algorithm packages of this
// module: grouping assigns leaders, offerings and caseloads with it, and
// scholarship assigns reviewers.
//
// A [Graph] is built with [New] and [Graph.AddArc], solved with
// [Graph.Solve] and read with [Graph.FlowOn]. The result is deterministic:
// among equally cheap flows, the one through earlier-inserted arcs and
// lower-numbered nodes wins.
package flow
