package io.budgetctl.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ProductServicesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void requiredIsEveryServiceButTheOneShotAndTheDataStores() {
        assertThat(ProductServices.REQUIRED).containsExactlyInAnyOrder("backend", "worker", "scheduler", "frontend",
                "ingress");
        assertThat(ProductServices.ALL).containsAll(ProductServices.ONE_SHOT).containsAll(ProductServices.DATA);
    }

    @Test
    void anExternalDatabaseIsHealthyButAFailedDataStoreThatRunsHereIsNot() throws Exception {
        String apps = "{\"service\":\"backend\",\"state\":\"running\",\"health\":\"healthy\"},"
                + "{\"service\":\"worker\",\"state\":\"running\",\"health\":\"none\"},"
                + "{\"service\":\"scheduler\",\"state\":\"running\",\"health\":\"none\"},"
                + "{\"service\":\"frontend\",\"state\":\"running\",\"health\":\"healthy\"},"
                + "{\"service\":\"ingress\",\"state\":\"running\",\"health\":\"none\"},"
                + "{\"service\":\"migrate\",\"state\":\"completed\",\"health\":\"none\",\"one_shot\":true}";

        assertThat(ProductServices.healthy(JSON.readTree("{\"services\":[" + apps + "]}"))).isTrue();
        assertThat(ProductServices.healthy(JSON.readTree("{\"services\":[" + apps
                + ",{\"service\":\"postgres\",\"state\":\"exited\",\"health\":\"none\"}]}"))).isFalse();
        assertThat(ProductServices.healthy(JSON.readTree("{\"services\":[" + apps.replace(
                "{\"service\":\"ingress\",\"state\":\"running\",\"health\":\"none\"},", "") + "]}"))).isFalse();
    }
}
