"""Sign placement: the rules, the places a sign can stand, the choice among them, the words
that say where, and the plan that keeps signs standing while their zone lives."""
