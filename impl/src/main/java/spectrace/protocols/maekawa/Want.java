package spectrace.protocols.maekawa;

/**
 * The workload's request to a node: its application wants the critical section, and will
 * stay in it for {@code holdFor} ticks.
 */
public record Want(long holdFor) {
  public Want {
    if (holdFor < 0) {
      throw new IllegalArgumentException("negative holdFor " + holdFor);
    }
  }
}
