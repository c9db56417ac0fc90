package org.jchrony.discipline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jchrony.discipline.AuthSelectPolicy.Candidate;
import org.jchrony.discipline.AuthSelectPolicy.Mode;
import org.jchrony.discipline.AuthSelectPolicy.Options;
import org.junit.jupiter.api.Test;

/** chrony.conf(5)'s authselectmode rules, including its own example (mix = require trust on the NTS ones). */
class AuthSelectPolicyTest {
    static final Options NONE = new Options(false, false, false);
    static final Options NOSELECT = new Options(true, false, false);
    static final Options REQUIRE_TRUST = new Options(false, true, true);

    static Candidate auth(Options o) { return new Candidate(true, false, o); }
    static Candidate plain(Options o) { return new Candidate(false, false, o); }
    static Candidate refclock(Options o) { return new Candidate(false, true, o); }

    @Test
    void mixMatchesTheManPageExample() {
        // server foo nts; server bar nts; server baz; refclock SHM 0  ==  ... nts require trust; baz; SHM require trust
        List<Candidate> c = List.of(auth(NONE), auth(NONE), plain(NONE), refclock(NONE));
        assertThat(AuthSelectPolicy.effective(Mode.MIX, c)).containsExactly(REQUIRE_TRUST, REQUIRE_TRUST, NONE, REQUIRE_TRUST);
        assertThat(AuthSelectPolicy.effective(Mode.IGNORE, c)).containsExactly(NONE, NONE, NONE, NONE);
    }

    @Test
    void mixChangesNothingUnlessBothKindsAreThere() {
        assertThat(AuthSelectPolicy.effective(Mode.MIX, List.of(auth(NONE), refclock(NONE)))).containsExactly(NONE, NONE);
        assertThat(AuthSelectPolicy.effective(Mode.MIX, List.of(plain(NONE), plain(NONE)))).containsExactly(NONE, NONE);
        // a noselect unauthenticated source is not counted
        assertThat(AuthSelectPolicy.effective(Mode.MIX, List.of(auth(NONE), plain(NOSELECT)))).containsExactly(NONE, NOSELECT);
    }

    @Test
    void requireAndPrefer() {
        List<Candidate> c = List.of(auth(NONE), plain(NONE), refclock(NONE));
        assertThat(AuthSelectPolicy.effective(Mode.REQUIRE, c)).containsExactly(NONE, NOSELECT, NONE);
        assertThat(AuthSelectPolicy.effective(Mode.PREFER, c)).containsExactly(NONE, NOSELECT, NONE);
        // prefer without any authenticated source: unchanged; require: still noselect
        List<Candidate> none = List.of(plain(NONE), refclock(NONE));
        assertThat(AuthSelectPolicy.effective(Mode.PREFER, none)).containsExactly(NONE, NONE);
        assertThat(AuthSelectPolicy.effective(Mode.REQUIRE, none)).containsExactly(NOSELECT, NONE);
        // options given in the configuration are kept where the policy adds nothing
        Options prefer = new Options(false, true, false);
        assertThat(AuthSelectPolicy.effective(Mode.REQUIRE, List.of(auth(prefer)))).containsExactly(prefer);
    }
}
