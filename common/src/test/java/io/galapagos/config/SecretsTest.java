package io.galapagos.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Secrets in a configuration: the search gets them, the effective YAML (an output's {@code config.yaml}) and messages
 * never show them, and a saved configuration read back runs only once each is given again.
 */
class SecretsTest {

    private static final String CONFIG = """
            name: s
            trials: 3
            space: {min_blocks: 1, max_blocks: 2}
            synthetic: {median_seconds: 0}
            spark:
              conf:
                spark.hadoop.fs.s3a.secret.key: s3cr3t-from-yaml
                spark.hadoop.fs.s3a.access.key: AKIA-from-yaml
                spark.executor.memory: 2g
            """;

    @ParameterizedTest
    @ValueSource(strings = {"spark.conf.spark.hadoop.fs.s3a.secret.key", "spark.conf.spark.authenticate.secret",
            "spark.conf.spark.ssl.keyStorePassword", "spark.conf.spark.hadoop.fs.s3a.session.token",
            "spark.conf.spark.kubernetes.authenticate.submission.oauthToken", "spark.conf.spark.hadoop.fs.s3a.access.key",
            "spark.conf.SPARK.FOO.PASSWORD", "spark.conf.my.Key",
            "spark.conf.spark.hadoop.fs.azure.account.key.acct.dfs.core.windows.net",
            "spark.conf.spark.hadoop.fs.azure.sas.container.acct.blob.core.windows.net"})
    void secretLookingKeysAreSecret(String key) {
        assertTrue(Secrets.isSecret(key), key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark.conf.spark.executor.memory", "spark.conf.spark.kryo.registrator", "name",
            "spark.conf.spark.keytab", "spark.conf.spark.key.size", "data.train_images"})
    void otherKeysAreNot(String key) {
        assertFalse(Secrets.isSecret(key), key);
    }

    @Test
    void theSearchGetsTheRealValuesAndTheEffectiveYamlNone() {
        ConfigLoader.Loaded loaded = ConfigLoader.parse("c.yaml", CONFIG, Path.of("/c"),
                List.of("spark.conf.spark.foo.password=pw-from-set"));
        Map<String, String> conf = loaded.config().spark().conf();
        assertEquals("s3cr3t-from-yaml", conf.get("spark.hadoop.fs.s3a.secret.key"));
        assertEquals("AKIA-from-yaml", conf.get("spark.hadoop.fs.s3a.access.key"));
        assertEquals("pw-from-set", conf.get("spark.foo.password"));
        String yaml = loaded.effectiveYaml();
        for (String secret : List.of("s3cr3t-from-yaml", "AKIA-from-yaml", "pw-from-set")) {
            assertFalse(yaml.contains(secret), yaml);
        }
        assertTrue(yaml.contains("spark.hadoop.fs.s3a.secret.key: '" + Secrets.REDACTED + "'"), yaml);
        assertTrue(yaml.contains("spark.foo.password: '" + Secrets.REDACTED + "'"), yaml);
        assertTrue(yaml.contains("spark.executor.memory: 2g"), yaml);
        assertTrue(loaded.missingSecrets().isEmpty());
        assertSame(loaded, loaded.withSecrets());
    }

    @Test
    void aSavedConfigurationRunsOnlyWithItsSecretsGivenAgain() {
        String saved = ConfigLoader.parse("c.yaml", CONFIG, Path.of("/c"), List.of()).effectiveYaml();

        ConfigLoader.Loaded bare = ConfigLoader.parse("out/config.yaml", saved, null, List.of());
        assertEquals(List.of("spark.conf.spark.hadoop.fs.s3a.secret.key", "spark.conf.spark.hadoop.fs.s3a.access.key"),
                bare.missingSecrets());
        // read to compare or warm-start from, it loads; the placeholder is never taken for the secret
        assertEquals(Secrets.REDACTED, bare.config().spark().conf().get("spark.hadoop.fs.s3a.secret.key"));
        ConfigException e = assertThrows(ConfigException.class, bare::withSecrets);
        assertEquals("out/config.yaml: spark.conf.spark.hadoop.fs.s3a.secret.key: is a secret, and a saved configuration "
                + "holds none (it reads '" + Secrets.REDACTED + "'): give it again, --set "
                + "spark.conf.spark.hadoop.fs.s3a.secret.key=VALUE", e.getMessage());

        ConfigLoader.Loaded given = ConfigLoader.parse("out/config.yaml", saved, null, List.of(
                "spark.conf.spark.hadoop.fs.s3a.access.key=AKIA-again",
                "spark.conf.spark.hadoop.fs.s3a.secret.key=s3cr3t-again")).withSecrets();
        assertEquals("s3cr3t-again", given.config().spark().conf().get("spark.hadoop.fs.s3a.secret.key"));
        // given again, it is saved redacted again: the same text, so a resume does not rewrite config.yaml
        assertEquals(saved, given.effectiveYaml());
    }

    @Test
    void messagesShowASecretOverrideRedacted() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("c.yaml", CONFIG, Path.of("/c"),
                List.of("spark.conf.spark.foo.password=[hunter2]")));
        assertEquals("--set spark.conf.spark.foo.password=" + Secrets.REDACTED + ": '" + Secrets.REDACTED + "' should be a single value", e.getMessage());
        ConfigException inFile = assertThrows(ConfigException.class, () -> ConfigLoader.parse("c.yaml",
                CONFIG.replace("s3cr3t-from-yaml", "[s3cr3t-from-yaml]"), Path.of("/c"), List.of()));
        assertFalse(inFile.getMessage().contains("s3cr3t"), inFile.getMessage());
        assertEquals("spark.conf.spark.foo.password=" + Secrets.REDACTED,
                Secrets.redactOverride("spark.conf.spark.foo.password=hunter2"));
        assertEquals("trials=3", Secrets.redactOverride("trials=3"));

        ConfigException malformed = assertThrows(ConfigException.class, () -> ConfigLoader.parse("c.yaml", CONFIG,
                Path.of("/c"), List.of("spark.conf.bad key.token=abc")));
        assertFalse(malformed.getMessage().contains("abc"), malformed.getMessage());

        // YAML reads a value starting with '*' as an alias: the refusal must not name it
        ConfigException alias = assertThrows(ConfigException.class, () -> ConfigLoader.parse("c.yaml", CONFIG,
                Path.of("/c"), List.of("spark.conf.spark.hadoop.fs.s3a.secret.key=*abcSECRET")));
        assertFalse(alias.getMessage().contains("abcSECRET"), alias.getMessage());
    }
}
