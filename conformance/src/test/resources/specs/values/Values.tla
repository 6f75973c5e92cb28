------------------------------- MODULE Values -------------------------------
(***************************************************************************)
(* A test spec for the encoding of values (traces/README.md, "Values"):    *)
(* each action sets a variable to the value that its parameter names, and  *)
(* the test checks that each verdict reads the JSON that the trace writer  *)
(* makes of a Java value as the value this module's expression evaluates   *)
(* to.  v holds functions and sets; s, a sequence in conformance.json,     *)
(* holds sequences.                                                        *)
(***************************************************************************)
EXTENDS Naturals, Sequences, Bags, TLC

VARIABLES v, s

\* The values of v, by name.
Expected(name) ==
  CASE name = "intFn"    -> [i \in 1..3 |-> i * 10] @@ (7 :> 70)
    [] name = "tupleFn"  -> [k \in {<<0, 1>>, <<2, 1>>} |-> IF k[1] = 0 THEN {"n1"} ELSE {"n1", "n2"}]
    [] name = "recordFn" -> [k \in {[src |-> "p1", sn |-> 1], [src |-> "p2", sn |-> 2]} |-> k.sn]
    [] name = "bag"      -> SetToBag({"a", "b"}) (+) SetToBag({"b"})
    [] name = "nested"   -> {{}, {1}, {1, 2}}
    [] name = "deep"     -> {{{"a"}}, {{"a"}, {}}}
    [] name = "fnOfSeqs" -> [n \in {"n1", "n2"} |-> IF n = "n1" THEN <<1, 2>> ELSE <<>>]

\* The values of s, by name.
ExpectedSeq(name) ==
  CASE name = "records"   -> <<[term |-> 1, cmd |-> "x"], [term |-> 2, cmd |-> "y"]>>
    [] name = "seqOfSets" -> <<{1, 2}, {}, {3}>>
    [] name = "seqOfSeqs" -> <<<<1>>, <<>>, <<2, 3>>>>

Names == {"intFn", "tupleFn", "recordFn", "bag", "nested", "deep", "fnOfSeqs"}
SeqNames == {"records", "seqOfSets", "seqOfSeqs"}

Init == v = "none" /\ s = <<>>

\* v becomes the value named.
SetV(name) == v' = Expected(name) /\ UNCHANGED s

\* s becomes the sequence named.
SetS(name) == s' = ExpectedSeq(name) /\ UNCHANGED v

Next == \/ \E name \in Names : SetV(name)
        \/ \E name \in SeqNames : SetS(name)

=============================================================================
