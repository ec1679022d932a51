package io.sensorflow.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderedAcksTest {

    private final List<Integer> sent = new ArrayList<>();
    private final BridgeStats stats = new BridgeStats();
    private final OrderedAcks acks = new OrderedAcks((id, qos) -> sent.add(id), stats);

    @Test
    void nothingIsAcknowledgedBeforeItIsConfirmed() {
        acks.arrived(1, 1);
        acks.arrived(2, 1);
        assertThat(sent).isEmpty();
        assertThat(acks.size()).isEqualTo(2);
    }

    @Test
    void acknowledgementsFollowTheArrivalOrderWhateverTheConfirmationOrder() {
        OrderedAcks.Pending a = acks.arrived(10, 1);
        OrderedAcks.Pending b = acks.arrived(11, 1);
        OrderedAcks.Pending c = acks.arrived(12, 1);
        // Records of different partitions may be confirmed in any order.
        acks.confirmed(c);
        assertThat(sent).isEmpty();
        acks.confirmed(b);
        assertThat(sent).isEmpty();
        acks.confirmed(a);
        assertThat(sent).containsExactly(10, 11, 12);
        assertThat(stats.acknowledged()).isEqualTo(3);
        assertThat(acks.size()).isZero();
    }

    @Test
    void aMessageThatIsNeverConfirmedHoldsBackEverythingAfterIt() {
        OrderedAcks.Pending a = acks.arrived(1, 1);
        OrderedAcks.Pending failed = acks.arrived(2, 1);
        OrderedAcks.Pending c = acks.arrived(3, 1);
        acks.confirmed(a);
        acks.confirmed(c);
        assertThat(sent).containsExactly(1);
        assertThat(failed.confirmed).isFalse();
        assertThat(acks.size()).isEqualTo(2);
        assertThat(acks.oldestWaitNanos()).isPositive();
    }

    @Test
    void aClosedConnectionAcknowledgesNothingMore() {
        OrderedAcks.Pending a = acks.arrived(1, 1);
        acks.close();
        acks.confirmed(a);
        OrderedAcks.Pending late = acks.arrived(2, 1);
        acks.confirmed(late);
        assertThat(sent).isEmpty();
        assertThat(acks.isOpen()).isFalse();
    }

    @Test
    void aFailingAckClosesTheConnectionsAcks() {
        List<Integer> tried = new ArrayList<>();
        OrderedAcks failing = new OrderedAcks((id, qos) -> {
            tried.add(id);
            throw new IllegalStateException("not connected");
        }, stats);
        OrderedAcks.Pending a = failing.arrived(1, 1);
        OrderedAcks.Pending b = failing.arrived(2, 1);
        failing.confirmed(b);
        failing.confirmed(a);
        assertThat(tried).containsExactly(1);
        assertThat(failing.isOpen()).isFalse();
        assertThat(stats.acknowledged()).isZero();
    }
}
