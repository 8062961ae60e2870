package dev.splitfed.internal.role;

/** A main server as the round driver holds it: it serves clients, and its rounds are opened and closed. */
public interface MainServerNode extends MainServer, RoundControl {}
