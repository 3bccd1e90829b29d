"""Pure domain code: no I/O, no clock, no logging. Time is always a parameter."""
