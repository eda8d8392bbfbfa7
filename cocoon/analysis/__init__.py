"""Pure analysis of the evidence: the Knox near-repeat test, the back-test of the zones and the
medborgarlöfte follow-up. Plain data and numbers in, tables out; no database, file or clock."""
