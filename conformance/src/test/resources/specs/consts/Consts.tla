------------------------------- MODULE Consts -------------------------------
(***************************************************************************)
(* A test spec for a trace header's constants in each tagged form          *)
(* (traces/README.md, "Values"): ok starts TRUE exactly when the constants  *)
(* the verdict gave TLC are the values below, and no action changes it, so  *)
(* a trace that logs ok = TRUE conforms only if the header was read right. *)
(***************************************************************************)
EXTENDS Naturals, Sequences, Bags

CONSTANTS Quorum, Weight, Pile, Order

VARIABLE ok

Expected ==
  /\ Quorum = [n \in {"n1", "n2"} |-> IF n = "n1" THEN {"n1"} ELSE {"n1", "n2"}]
  /\ Weight = [k \in {<<0, 1>>, <<2, 1>>} |-> k[1] + 1]
  /\ Pile = SetToBag({"a"}) (+) SetToBag({"a", "b"})
  /\ Order = {<<1, 2>>, <<>>}

OkInv == ok \in BOOLEAN

Init == ok = Expected

Check == ok' = ok

Next == Check
=============================================================================
