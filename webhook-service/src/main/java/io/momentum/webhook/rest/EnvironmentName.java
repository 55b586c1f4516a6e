package io.momentum.webhook.rest;

import io.momentum.shared.env.EnvironmentNames;
import io.momentum.shared.env.InvalidNameException;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A name that may become a Puppet environment directory ({@link EnvironmentNames#requireValid}). */
@Target({ElementType.TYPE_USE, ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = EnvironmentName.Validator.class)
public @interface EnvironmentName {

    String message() default "is not a valid environment name";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Says what is wrong with the name, as the shared name rules word it. */
    class Validator implements ConstraintValidator<EnvironmentName, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            try {
                EnvironmentNames.requireValid(value);
                return true;
            } catch (InvalidNameException e) {
                context.disableDefaultConstraintViolation();
                // The name comes from the request: escaped so that it is never read as a message expression.
                context.buildConstraintViolationWithTemplate(e.getMessage().replaceAll("([\\\\{}$])", "\\\\$1"))
                        .addConstraintViolation();
                return false;
            }
        }
    }
}
