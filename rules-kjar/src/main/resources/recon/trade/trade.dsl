# The trade task group's sentences for analysts. Each line maps a sentence (left) onto DRL (right);
# {name} is a blank the sentence fills in, e.g. "There is a paid order $id" binds the order's id to $id.
# Conditions
[when]There is a paid order {id}=$order : Order( {id} : orderId, status == "PAID" )
[when]there is no shipment for order {id}=not Shipment( orderId == {id} )
# Consequences: the reason is completed with the order id, so every message names the record.
[then]report {type} for {id} with severity {severity} because "{reason}"=insertLogical( Mismatch.of( "{type}", Severity.{severity}, {id}, "Order " + {id} + ": {reason}.", $order ) );
