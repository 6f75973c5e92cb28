package spectrace.protocols.raft;

import spectrace.core.SpecValue;

/** A server's role, Raft.tla's {@code state[i]}. */
public enum RaftState implements SpecValue {
  FOLLOWER("follower"), PRECANDIDATE("precandidate"), CANDIDATE("candidate"), LEADER("leader");

  private final String spec;

  RaftState(String spec) {
    this.spec = spec;
  }

  @Override
  public String specValue() {
    return spec;
  }
}
