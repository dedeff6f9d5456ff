package dev.drover.master.os;

/** A user or group resolved through the system's name service. */
public record UserIds(String name, int uid, int gid) {}
